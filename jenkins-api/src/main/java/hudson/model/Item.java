package hudson.model;

import hudson.security.AccessControlled;
import hudson.security.Permission;
import java.io.IOException;
import java.util.Collection;
import jenkins.util.io.OnMaster;

public interface Item extends PersistenceRoot, AccessControlled, OnMaster {
    ItemGroup<? extends Item> getParent();

    Collection<? extends Job> getAllJobs();

    String getName();

    String getFullName();

    String getDisplayName();

    String getFullDisplayName();

    String getUrl();

    String getShortUrl();

    void onLoad(ItemGroup<? extends Item> parent, String name) throws IOException;

    void onCopiedFrom(Item src);

    void save() throws IOException;

    void delete() throws IOException, InterruptedException;

    Permission CONFIGURE = initializedAtRuntime();

    Permission EXTENDED_READ = initializedAtRuntime();

    private static Permission initializedAtRuntime() {
        return null;
    }
}
