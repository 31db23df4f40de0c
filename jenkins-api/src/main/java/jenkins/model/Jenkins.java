package jenkins.model;

import hudson.model.ItemGroup;
import hudson.model.TopLevelItem;
import hudson.security.ACL;
import hudson.security.AccessControlled;
import hudson.security.Permission;
import java.io.File;
import java.io.IOException;
import java.util.List;
import jenkins.util.io.OnMaster;
import org.springframework.security.access.AccessDeniedException;

public class Jenkins implements ItemGroup<TopLevelItem>, AccessControlled, OnMaster, Loadable {
    public static final Permission ADMINISTER = initializedAtRuntime();

    private static Permission initializedAtRuntime() {
        return null;
    }

    private Jenkins() {}

    public static Jenkins get() throws IllegalStateException {
        throw new UnsupportedOperationException();
    }

    public String getRootUrl() throws IllegalStateException {
        throw new UnsupportedOperationException();
    }

    @Override
    public ACL getACL() {
        throw new UnsupportedOperationException();
    }

    @Override
    public File getRootDir() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void load() throws IOException {
        throw new UnsupportedOperationException();
    }

    @Override
    public synchronized void save() throws IOException {
        throw new UnsupportedOperationException();
    }

    @Override
    public String getDisplayName() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String getFullName() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String getFullDisplayName() {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<TopLevelItem> getItems() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String getUrl() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String getUrlChildPrefix() {
        throw new UnsupportedOperationException();
    }

    @Override
    public TopLevelItem getItem(String name) throws AccessDeniedException {
        throw new UnsupportedOperationException();
    }

    @Override
    public File getRootDirFor(TopLevelItem child) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void onDeleted(TopLevelItem item) throws IOException {
        throw new UnsupportedOperationException();
    }
}
