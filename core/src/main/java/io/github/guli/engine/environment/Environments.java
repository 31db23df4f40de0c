package io.github.guli.engine.environment;

import io.github.guli.engine.GuliException;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The environments in the order a release goes through them, e.g. test, staging, prod. */
public final class Environments implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final String LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

    private final List<Environment> list;

    private Environments(List<Environment> list) {
        this.list = List.copyOf(list);
    }

    /** Checks the names (DNS-1123 labels, unique) and that at most one is the release point. */
    public static Environments of(List<Environment> list) {
        if (list == null || list.isEmpty()) {
            throw new GuliException("no environment is configured: add them (test, staging, prod...) in Manage "
                    + "Jenkins > System > guli-pipeline > Environments");
        }
        Set<String> seen = new HashSet<>();
        for (Environment e : list) {
            if (e.name() == null || !e.name().matches(LABEL)) {
                throw new GuliException("environment name '" + e.name() + "' is not valid: lower-case letters, "
                        + "digits and '-', starting and ending with a letter or digit, at most 63 (e.g. staging)");
            }
            if (!seen.add(e.name())) {
                throw new GuliException("environment '" + e.name() + "' is configured twice: give each its own name");
            }
        }
        List<String> points = list.stream()
                .filter(Environment::releasePoint)
                .map(Environment::name)
                .toList();
        if (points.size() > 1) {
            throw new GuliException("more than one environment is the release point (" + String.join(", ", points)
                    + "): mark one (by default the last is)");
        }
        return new Environments(list);
    }

    public List<Environment> list() {
        return list;
    }

    public List<String> names() {
        return list.stream().map(Environment::name).toList();
    }

    public Environment first() {
        return list.get(0);
    }

    /** Where the release (the version tag) happens: the one marked, else the last. */
    public Environment releasePoint() {
        return list.stream().filter(Environment::releasePoint).findFirst().orElse(list.get(list.size() - 1));
    }

    /** The environment named {@code name}; fails naming the known ones. */
    public Environment get(String name) {
        return list.stream()
                .filter(e -> e.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new GuliException("there is no environment '" + name + "': the environments are "
                        + String.join(", ", names()) + " (Manage Jenkins > System > guli-pipeline)"));
    }

    /** The environment before {@code name}, whose running image a promotion to it deploys; null for the first. */
    public Environment predecessor(String name) {
        int i = list.indexOf(get(name));
        return i == 0 ? null : list.get(i - 1);
    }
}
