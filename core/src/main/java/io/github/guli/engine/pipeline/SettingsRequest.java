package io.github.guli.engine.pipeline;

import io.github.guli.engine.build.ChangedServices;
import java.util.Map;

/**
 * What guliPipeline knows when it asks for its settings.
 *
 * @param call          the Jenkinsfile's map, {@code guliPipeline(service: ..., ...)}
 * @param file          the text of the service repository's guli.yaml, or null (before checkout, or none)
 * @param pom           the text of the repository's root pom.xml, or null: its modules are the PROJECT_NAME choices
 * @param scm           what checkout returned (GIT_COMMIT, GIT_BRANCH), or null before checkout
 * @param env           the build's environment, its parameters included (PROJECT_NAME, PROJECT_VERSION, DEPLOY,
 *                      BRANCH_NAME, BUILD_NUMBER)
 * @param global        the plugin's global configuration (approvers, approvalTimeoutMinutes, container), blank
 *                      values unset
 * @param kind          {@code maven} (guliPipeline) or {@code frontend} (guliFrontendPipeline)
 * @param lockAvailable whether this Jenkins has the lock step (the Lockable Resources plugin)
 * @param changes       when PROJECT_NAME is {@code (changed)}, after checkout: the services the commits changed
 */
public record SettingsRequest(
        Map<String, ?> call,
        String file,
        String pom,
        Map<String, String> scm,
        Map<String, String> env,
        Map<String, String> global,
        String kind,
        boolean lockAvailable,
        ChangedServices.Result changes) {
    public SettingsRequest(
            Map<String, ?> call,
            String file,
            String pom,
            Map<String, String> scm,
            Map<String, String> env,
            Map<String, String> global,
            String kind,
            boolean lockAvailable) {
        this(call, file, pom, scm, env, global, kind, lockAvailable, null);
    }
}
