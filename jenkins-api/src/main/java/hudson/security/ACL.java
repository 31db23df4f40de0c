package hudson.security;

import org.springframework.security.core.Authentication;

public abstract class ACL {
    public static final Authentication SYSTEM2 = initializedAtRuntime();

    public static ACLContext as2(Authentication auth) {
        throw new UnsupportedOperationException();
    }

    public boolean hasPermission2(Authentication a, Permission permission) {
        throw new UnsupportedOperationException();
    }

    private static Authentication initializedAtRuntime() {
        return null;
    }
}
