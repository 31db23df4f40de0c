package io.github.guli.jenkins;

import hudson.model.Cause;
import hudson.model.Run;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import java.util.LinkedHashSet;
import java.util.Set;
import jenkins.model.Jenkins;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/** What the approval rules and the freeze override ask Jenkins about people; a test gives its own. */
interface People {
    /** The user who started the build (Build with Parameters), or null (a timer, a push, an upstream build). */
    String starter(Run<?, ?> run);

    /** Whether the user has Overall/Administer. */
    boolean isAdministrator(String user);

    /** Whether the name is a Jenkins user (else an approver's name is taken as a group). */
    boolean isUser(String name);

    /** The user's groups, as the security realm reports them. */
    Set<String> groups(String user);

    /** Jenkins' own answers, read as the system (a build may run as a user who may not see others' groups). */
    static People jenkins() {
        return new People() {
            @Override
            public String starter(Run<?, ?> run) {
                Cause.UserIdCause cause = run.getCause(Cause.UserIdCause.class);
                return cause == null ? null : cause.getUserId();
            }

            @Override
            public boolean isAdministrator(String user) {
                User u = User.getById(user, false);
                try {
                    return u != null && Jenkins.get().getACL().hasPermission2(u.impersonate2(), Jenkins.ADMINISTER);
                } catch (UsernameNotFoundException e) {
                    return false; // no longer known to the security realm: no permission at all
                }
            }

            @Override
            public boolean isUser(String name) {
                return User.getById(name, false) != null;
            }

            @Override
            public Set<String> groups(String user) {
                try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
                    User u = User.getById(user, false);
                    return u == null ? Set.of() : new LinkedHashSet<>(u.getAuthorities());
                }
            }
        };
    }
}
