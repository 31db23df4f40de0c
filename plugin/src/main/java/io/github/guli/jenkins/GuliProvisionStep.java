package io.github.guli.jenkins;

import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.ListBoxModel;
import io.github.guli.engine.Blank;
import io.github.guli.engine.Log;
import io.github.guli.engine.provision.ProvisionRequest;
import io.github.guli.engine.provision.ProvisionRun;
import io.github.guli.engine.provision.ProvisionSecrets;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code guliProvision}: the middleware manifests of the course (MySQL master/slaves, Redis Cluster, Elasticsearch,
 * RabbitMQ, Nacos, Zipkin, Sentinel, their formation Jobs, the production ConfigMap, the ShardingSphere configs).
 * A dry run (the default) prints them, Secrets redacted; otherwise the manifests without a secret are written to
 * {@code outputDir} in the workspace. The settings reach the engine as the map given; the five secrets come from
 * Jenkins' "Secret text" credentials only. Returns a map: summary, manifests (the dry run's text), written (the
 * files), withheld (the Secrets, never written).
 */
public class GuliProvisionStep extends Step {
    static final String PREFIX = "[guliProvision] ";
    static final String DEFAULT_OUTPUT_DIR = "middleware-manifests";

    private boolean dryRun = true;
    private String namespace;
    private String storageClass;
    private Map<String, Object> settings = new LinkedHashMap<>();
    private String outputDir = DEFAULT_OUTPUT_DIR;
    private String mysqlRootCredentialsId;
    private String mysqlReplicationCredentialsId;
    private String redisCredentialsId;
    private String rabbitmqCookieCredentialsId;
    private String shardingsphereCredentialsId;

    @DataBoundConstructor
    public GuliProvisionStep() {}

    public boolean isDryRun() {
        return dryRun;
    }

    @DataBoundSetter
    public void setDryRun(boolean v) {
        dryRun = v;
    }

    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String v) {
        namespace = Blank.toNull(v);
    }

    public String getStorageClass() {
        return storageClass;
    }

    @DataBoundSetter
    public void setStorageClass(String v) {
        storageClass = Blank.toNull(v);
    }

    public Map<String, Object> getSettings() {
        return settings;
    }

    @DataBoundSetter
    public void setSettings(Map<String, Object> v) {
        settings = v == null ? new LinkedHashMap<>() : new LinkedHashMap<>(v);
    }

    public String getOutputDir() {
        return outputDir;
    }

    @DataBoundSetter
    public void setOutputDir(String v) {
        outputDir = Blank.orDefault(v, DEFAULT_OUTPUT_DIR);
    }

    public String getMysqlRootCredentialsId() {
        return mysqlRootCredentialsId;
    }

    @DataBoundSetter
    public void setMysqlRootCredentialsId(String v) {
        mysqlRootCredentialsId = Blank.toNull(v);
    }

    public String getMysqlReplicationCredentialsId() {
        return mysqlReplicationCredentialsId;
    }

    @DataBoundSetter
    public void setMysqlReplicationCredentialsId(String v) {
        mysqlReplicationCredentialsId = Blank.toNull(v);
    }

    public String getRedisCredentialsId() {
        return redisCredentialsId;
    }

    @DataBoundSetter
    public void setRedisCredentialsId(String v) {
        redisCredentialsId = Blank.toNull(v);
    }

    public String getRabbitmqCookieCredentialsId() {
        return rabbitmqCookieCredentialsId;
    }

    @DataBoundSetter
    public void setRabbitmqCookieCredentialsId(String v) {
        rabbitmqCookieCredentialsId = Blank.toNull(v);
    }

    public String getShardingsphereCredentialsId() {
        return shardingsphereCredentialsId;
    }

    @DataBoundSetter
    public void setShardingsphereCredentialsId(String v) {
        shardingsphereCredentialsId = Blank.toNull(v);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /** Resolves the settings and the secrets on the controller, then generates (and writes) on the agent. */
    static final class Execution extends WorkspaceStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient GuliProvisionStep step;

        Execution(GuliProvisionStep step, StepContext context) {
            super(context, PREFIX);
            this.step = step;
        }

        @Override
        Map<String, Object> run(Run<?, ?> run, TaskListener listener, FilePath workspace, EnvVars env)
                throws Exception {
            CredentialsLookup credentials = new CredentialsLookup(CredentialsLookup.JENKINS);
            ProvisionRun.Outcome result = new OnAgent(request(run, credentials), listener)
                    .masking(credentials.secrets())
                    .runOn(workspace);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("summary", result.summary());
            out.put("manifests", result.manifests());
            out.put("written", new ArrayList<>(result.written()));
            out.put("withheld", new ArrayList<>(result.withheld()));
            return out;
        }

        /**
         * The engine's request: the step's settings map as it is (each value as its string), namespace and
         * storageClass over it, and the secrets of the credentials the step names. A real run needs all five.
         */
        ProvisionRequest request(Run<?, ?> run, CredentialsLookup credentials) {
            Map<String, String> overrides = new LinkedHashMap<>();
            step.settings.forEach((k, v) -> overrides.put(k, v == null ? null : v.toString()));
            ProvisionSecrets secrets = step.dryRun
                    ? ProvisionSecrets.none()
                    : new ProvisionSecrets(
                            credentials.secretText(step.mysqlRootCredentialsId, run, "MySQL root password"),
                            credentials.secretText(
                                    step.mysqlReplicationCredentialsId, run, "MySQL replication password"),
                            credentials.secretText(step.redisCredentialsId, run, "Redis password"),
                            credentials.secretText(step.rabbitmqCookieCredentialsId, run, "RabbitMQ Erlang cookie"),
                            credentials.secretText(
                                    step.shardingsphereCredentialsId, run, "ShardingSphere-Proxy password"));
            if (!step.dryRun) {
                secrets.requireAll(
                        "mysqlRootCredentialsId",
                        "mysqlReplicationCredentialsId",
                        "redisCredentialsId",
                        "rabbitmqCookieCredentialsId",
                        "shardingsphereCredentialsId");
            }
            return new ProvisionRequest(overrides)
                    .namespace(step.namespace)
                    .storageClass(step.storageClass)
                    .secrets(secrets)
                    .dryRun(step.dryRun)
                    .outputDir(step.dryRun ? null : step.outputDir);
        }
    }

    /** Runs on the agent that holds the workspace, where the manifests are written. */
    static final class OnAgent extends EngineOnAgent<ProvisionRun.Outcome> {
        private static final long serialVersionUID = 1L;
        private final ProvisionRequest request;

        OnAgent(ProvisionRequest request, TaskListener listener) {
            super(listener, PREFIX);
            this.request = request;
        }

        @Override
        ProvisionRun.Outcome call(File workspace, Log log) {
            return ProvisionRun.run(request, workspace, log, console());
        }
    }

    @Extension
    @Symbol("guliProvision")
    public static final class DescriptorImpl extends StepDescriptor {
        private static ListBoxModel secretTexts(Item item, String value) {
            return Forms.credentials(item, value, StringCredentials.class);
        }

        @POST
        public ListBoxModel doFillMysqlRootCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String mysqlRootCredentialsId) {
            return secretTexts(item, mysqlRootCredentialsId);
        }

        @POST
        public ListBoxModel doFillMysqlReplicationCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String mysqlReplicationCredentialsId) {
            return secretTexts(item, mysqlReplicationCredentialsId);
        }

        @POST
        public ListBoxModel doFillRedisCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String redisCredentialsId) {
            return secretTexts(item, redisCredentialsId);
        }

        @POST
        public ListBoxModel doFillRabbitmqCookieCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String rabbitmqCookieCredentialsId) {
            return secretTexts(item, rabbitmqCookieCredentialsId);
        }

        @POST
        public ListBoxModel doFillShardingsphereCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String shardingsphereCredentialsId) {
            return secretTexts(item, shardingsphereCredentialsId);
        }

        @Override
        public String getFunctionName() {
            return "guliProvision";
        }

        @Override
        public String getDisplayName() {
            return Messages.get("GuliProvisionStep.DisplayName");
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class, EnvVars.class);
        }
    }
}
