package io.github.guli.engine.registry;

import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import java.util.regex.Pattern;

/**
 * An image reference {@code registry/namespace/name:tag}, checked against the grammar of Docker's reference
 * package so that a bad name fails here with the rule, not later as an opaque registry error.
 */
public record ImageRef(String registry, String repository, String tag) {
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+(?::[0-9]{1,5})?");

    public ImageRef {
        if (registry == null || !HOST.matcher(registry).matches()) {
            throw new GuliException("registry '" + registry + "' is not a registry host: give host[:port], "
                    + "e.g. registry.cn-hangzhou.aliyuncs.com or 127.0.0.1:5000 (no path, no credentials)");
        }
        for (String c : repository.split("/", -1)) {
            if (!COMPONENT.matcher(c).matches()) {
                throw new GuliException("image name '" + repository + "' is not valid: each part between '/' must be "
                        + "lower-case letters and digits, separated by '.', '_', '__' or '-' (part '" + c + "')");
            }
        }
        checkTag(tag);
    }

    public static ImageRef of(String registry, String namespace, String name, String tag) {
        checkNamespace(namespace);
        return new ImageRef(registry, namespace + "/" + name, tag);
    }

    /** A registry namespace: one or more path components, as an image name's leading part. */
    public static void checkNamespace(String namespace) {
        if (Blank.isBlank(namespace)) {
            throw new GuliException("the registry namespace is not set: give 'namespace' (the course's "
                    + "DOCKERHUB_NAMESPACE, e.g. atguigumall) or set it in Manage Jenkins > System > guli-pipeline");
        }
        for (String c : namespace.split("/", -1)) {
            if (!COMPONENT.matcher(c).matches()) {
                throw new GuliException("namespace '" + namespace + "' is not valid: lower-case letters and digits, "
                        + "separated by '.', '_', '__' or '-', e.g. atguigumall");
            }
        }
    }

    public static void checkTag(String tag) {
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw new GuliException("image tag '" + tag + "' is not valid: up to 128 letters, digits, '_', '.' "
                    + "and '-', not starting with '.' or '-'");
        }
    }

    /**
     * The course's snapshot tag {@code SNAPSHOT-<branch>-<build>}; a branch such as {@code feature/x} becomes
     * {@code feature-x} because '/' is not allowed in a tag.
     */
    public static String snapshotTag(String branch, String buildNumber) {
        String tag = "SNAPSHOT-" + branch.replaceAll("[^A-Za-z0-9_.-]", "-") + "-" + buildNumber;
        checkTag(tag);
        return tag;
    }

    public ImageRef withTag(String newTag) {
        return new ImageRef(registry, repository, newTag);
    }

    @Override
    public String toString() {
        return registry + "/" + repository + ":" + tag;
    }
}
