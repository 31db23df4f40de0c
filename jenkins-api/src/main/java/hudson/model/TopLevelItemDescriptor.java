package hudson.model;

import org.jenkins.ui.icon.IconSpec;

public abstract class TopLevelItemDescriptor extends Descriptor<TopLevelItem> implements IconSpec {
    protected TopLevelItemDescriptor(Class<? extends TopLevelItem> clazz) {}

    protected TopLevelItemDescriptor() {}

    public abstract TopLevelItem newInstance(ItemGroup parent, String name);
}
