package io.github.guli.jenkins;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import hudson.model.Item;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.github.guli.engine.GuliException;
import jenkins.model.Jenkins;

/**
 * What every form method of the plugin does first and the same way: answer only someone who may configure the
 * thing the form belongs to (the job, or Jenkins itself for the global configuration), and list credentials as
 * the job would see them.
 */
final class Forms {
    private Forms() {}

    /** Item/Configure on the job, or Overall/Administer for the global configuration ({@code item == null}). */
    static boolean mayConfigure(Item item) {
        return item == null ? Jenkins.get().hasPermission(Jenkins.ADMINISTER) : item.hasPermission(Item.CONFIGURE);
    }

    /**
     * The credentials of the given types that the job (or Jenkins, for the global configuration) can use, plus the
     * current value; only the current value for someone who may not configure it.
     */
    @SafeVarargs
    static ListBoxModel credentials(Item item, String current, Class<? extends StandardCredentials>... types) {
        StandardListBoxModel model = new StandardListBoxModel();
        if (!mayConfigure(item)) {
            model.includeCurrentValue(current == null ? "" : current);
            return model;
        }
        model.includeEmptyValue();
        for (Class<? extends StandardCredentials> type : types) {
            if (item == null) {
                model.includeAs(ACL.SYSTEM2, Jenkins.get(), type);
            } else {
                model.includeAs(ACL.SYSTEM2, item, type);
            }
        }
        model.includeCurrentValue(current == null ? "" : current);
        return model;
    }

    /** Runs an engine check of a field: its GuliException message becomes the form error. */
    static FormValidation check(Item item, String value, Runnable engineCheck) {
        if (!mayConfigure(item) || value == null || value.isBlank()) {
            return FormValidation.ok();
        }
        try {
            engineCheck.run();
            return FormValidation.ok();
        } catch (GuliException e) {
            return FormValidation.error(e.getMessage());
        }
    }
}
