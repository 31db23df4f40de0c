package org.jenkinsci.remoting;

import java.util.Collection;

public abstract class RoleChecker {
    public abstract void check(RoleSensitive subject, Collection<Role> expected) throws SecurityException;

    public void check(RoleSensitive subject, Role expected) throws SecurityException {
        throw new UnsupportedOperationException();
    }

    public void check(RoleSensitive subject, Role... expected) throws SecurityException {
        throw new UnsupportedOperationException();
    }
}
