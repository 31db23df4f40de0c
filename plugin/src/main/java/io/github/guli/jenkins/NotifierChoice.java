package io.github.guli.jenkins;

import io.github.guli.engine.GuliException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which of the admins' notifiers an approval is announced to: those its environment names (Environments >
 * Notifiers), else all. A name that is no notifier is an error naming the configured ones, in the form when saving
 * and in guliSettings before any agent; guliNotify, which never fails a build, warns instead.
 */
final class NotifierChoice {
    private NotifierChoice() {}

    /** @param environment the approval's environment, or null (a build's own deploy and release): all */
    static List<GuliNotifier> of(String environment, List<GuliEnvironment> environments, List<GuliNotifier> all) {
        GuliEnvironment env = environment == null
                ? null
                : environments.stream()
                        .filter(e -> environment.equals(e.getName()))
                        .findFirst()
                        .orElse(null);
        if (env == null || names(env.getNotifiers()).isEmpty()) {
            return all;
        }
        check(env.getName(), env.getNotifiers(), all);
        List<String> wanted = names(env.getNotifiers());
        return all.stream().filter(n -> wanted.contains(n.getName())).toList();
    }

    /** Every environment's names against the notifiers: what guliSettings checks before any agent is taken. */
    static void checkAll(List<GuliEnvironment> environments, List<GuliNotifier> all) {
        environments.forEach(e -> check(e.getName(), e.getNotifiers(), all));
    }

    static void check(String environment, String names, List<GuliNotifier> all) {
        List<String> known = all.stream().map(GuliNotifier::getName).toList();
        List<String> unknown = new ArrayList<>(names(names));
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new GuliException("environment '" + environment + "' names the notifier(s) "
                    + String.join(", ", unknown) + ", which are not configured: "
                    + (known.isEmpty() ? "there are no notifiers" : "the notifiers are " + String.join(", ", known))
                    + " (Manage Jenkins > System > guli-pipeline > Notifiers; blank: all of them)");
        }
    }

    private static List<String> names(String text) {
        return text == null
                ? List.of()
                : Arrays.stream(text.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
    }
}
