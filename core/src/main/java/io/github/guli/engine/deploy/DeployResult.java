package io.github.guli.engine.deploy;

import java.io.Serializable;
import java.util.List;

/**
 * What a deploy did: the objects it created, changed and left unchanged ("Kind namespace/name"), the rollout's
 * outcome, and how many warnings validation gave.
 */
public record DeployResult(
        boolean dryRun,
        List<String> created,
        List<String> changed,
        List<String> unchanged,
        String rollout,
        int warnings)
        implements Serializable {
    public DeployResult {
        created = List.copyOf(created);
        changed = List.copyOf(changed);
        unchanged = List.copyOf(unchanged);
    }

    public String summary() {
        if (dryRun) {
            return "dry run: " + rollout;
        }
        return "created: " + list(created) + "; changed: " + list(changed) + "; unchanged: " + list(unchanged)
                + "; rollout: " + rollout;
    }

    private static String list(List<String> l) {
        return l.isEmpty() ? "none" : String.join(", ", l);
    }
}
