package io.github.guli.engine.release;

import io.github.guli.engine.UsernamePassword;
import java.io.Serializable;

/**
 * What to release. Serializable: Jenkins builds it on the controller and runs the release on the agent that
 * holds the workspace.
 *
 * @param sourceTag the tag the image was pushed with (e.g. {@code SNAPSHOT-master-42})
 * @param gitDir the working tree to tag; {@code null} skips the git tag
 * @param gitRemote the URL the checkout used, without credentials (required to tag: never read from the working
 *                  tree, which the build can rewrite)
 * @param commit the commit to tag; {@code null} for HEAD
 * @param tagImage whether to copy the image tag
 */
public record ReleaseRequest(
        String projectName,
        String projectVersion,
        String registry,
        String namespace,
        String sourceTag,
        UsernamePassword registryCredentials,
        boolean tagImage,
        String gitDir,
        String gitRemote,
        String commit,
        UsernamePassword gitCredentials,
        String taggerName,
        String taggerEmail)
        implements Serializable {}
