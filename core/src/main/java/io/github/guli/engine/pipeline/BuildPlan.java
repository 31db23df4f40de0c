package io.github.guli.engine.pipeline;

import java.util.List;

/**
 * What this build is, decided once from the configuration, the build's parameters and the checkout: every stage's
 * settings are read from it.
 *
 * @param service the service the repository builds (the Jenkinsfile's {@code service})
 * @param projectName PROJECT_NAME: one service, or {@link PipelineSettings#CHANGED}
 * @param services the services built: PROJECT_NAME's, or those the commits changed
 * @param changes why each changed service is built or not, for the log
 * @param version PROJECT_VERSION, empty for a snapshot build
 * @param frontend whether it is a front end built with npm (else a Maven project)
 * @param newest whether a newer deploy or release of a service drops the older ones waiting for its lock
 *     (concurrency: newest), else they queue
 * @param deployTicked the DEPLOY parameter, else whether the deploy stage is on
 * @param branch the branch built, or null when it is not known
 * @param snapshotTag SNAPSHOT-&lt;branch&gt;-&lt;build&gt;, or null when no stage tags an image
 * @param commit the commit checkout reported, or null before checkout
 * @param stages each stage as configured
 * @param promotion a promotion or rollback between the admins' environments, or null for a build
 */
record BuildPlan(
        String service,
        String projectName,
        List<String> services,
        List<String> changes,
        String version,
        boolean frontend,
        boolean newest,
        boolean deployTicked,
        String branch,
        String snapshotTag,
        String commit,
        Stages stages,
        PromotionPlan promotion) {

    /** Each stage as the configuration sets it, before what the other stages and the parameters decide. */
    record Stages(
            PipelineConfig.Stage build,
            PipelineConfig.Stage qualityGate,
            PipelineConfig.Stage image,
            PipelineConfig.Stage deploy,
            PipelineConfig.Stage release) {}

    boolean changedMode() {
        return PipelineSettings.CHANGED.equals(projectName);
    }

    boolean release() {
        return !version.isEmpty();
    }

    String gitTag() {
        return projectName + "-" + version;
    }
}
