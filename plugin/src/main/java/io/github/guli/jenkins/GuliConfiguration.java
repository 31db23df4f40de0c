package io.github.guli.jenkins;

import hudson.Extension;
import hudson.ExtensionList;
import io.github.guli.engine.registry.RegistryEndpoint;
import jenkins.model.GlobalConfiguration;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Manage Jenkins > System > guli-pipeline: the defaults every step falls back to. Each field has a
 * {@code @DataBoundSetter} so Configuration as Code can set it under {@code unclassified: guli:}.
 */
@Extension
@Symbol("guli")
public class GuliConfiguration extends GlobalConfiguration {
    private String registry = RegistryEndpoint.DEFAULT;
    private String namespace;
    private String registryCredentialsId;
    private String gitCredentialsId;
    private String sonarUrl;
    private String sonarCredentialsId;

    public GuliConfiguration() {
        load();
    }

    public static GuliConfiguration get() {
        return ExtensionList.lookupSingleton(GuliConfiguration.class);
    }

    public String getRegistry() {
        return registry;
    }

    @DataBoundSetter
    public void setRegistry(String registry) {
        this.registry = Values.orDefault(registry, RegistryEndpoint.DEFAULT);
        save();
    }

    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = Values.trimToNull(namespace);
        save();
    }

    public String getRegistryCredentialsId() {
        return registryCredentialsId;
    }

    @DataBoundSetter
    public void setRegistryCredentialsId(String registryCredentialsId) {
        this.registryCredentialsId = Values.trimToNull(registryCredentialsId);
        save();
    }

    public String getGitCredentialsId() {
        return gitCredentialsId;
    }

    @DataBoundSetter
    public void setGitCredentialsId(String gitCredentialsId) {
        this.gitCredentialsId = Values.trimToNull(gitCredentialsId);
        save();
    }

    /** The SonarQube server guliBuild's analysis and guliQualityGate use, e.g. http://sonar.example.com:9000. */
    public String getSonarUrl() {
        return sonarUrl;
    }

    @DataBoundSetter
    public void setSonarUrl(String sonarUrl) {
        this.sonarUrl = Values.trimToNull(sonarUrl);
        save();
    }

    /** "Secret text" credentials holding a SonarQube user token (the course's SONAR_CREDENTIAL_ID, sonar-qube). */
    public String getSonarCredentialsId() {
        return sonarCredentialsId;
    }

    @DataBoundSetter
    public void setSonarCredentialsId(String sonarCredentialsId) {
        this.sonarCredentialsId = Values.trimToNull(sonarCredentialsId);
        save();
    }
}
