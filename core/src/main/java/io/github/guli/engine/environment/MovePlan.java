package io.github.guli.engine.environment;

import java.util.Map;

/**
 * What a promotion or a rollback deploys, as its checks found it before anything changed.
 *
 * @param source the environment the digest comes from (a rollback's witness), or null
 * @param repository the image's repository, with its registry host
 * @param version the version it carries, or null when none is known
 * @param replaced what runs in the target now, or null when the service does not run there
 * @param notes the annotations the deploy adds (promoted from, replaced)
 * @param builtCommit the commit the image was built from (its label), whose manifests and configuration are
 *     deployed; null when the image does not say (then the workspace as checked out)
 */
record MovePlan(
        Environment target,
        Environment source,
        String repository,
        String digest,
        String version,
        Running replaced,
        Map<String, String> notes,
        String builtCommit) {}
