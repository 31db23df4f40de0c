package io.github.guli.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.github.guli.engine.GuliException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rollback's own contract, against fabric8's mock API server in CRUD mode: it runs on a thread an abort
 * interrupted and leaves that thread interrupted, and it stops at its time limit saying what is left to check.
 */
@EnableKubernetesMockClient(crud = true)
class RollbackTest {
    KubernetesClient client;

    final List<String> log = new ArrayList<>();

    private static ConfigMap configMap(String ns, String name, String mode) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .addToData("MODE", mode)
                .build();
    }

    /** What a deploy in {@code ns} leaves: ConfigMap app-config changed (MODE old to new), ConfigMap extra created. */
    private RolloutState changedAndCreated(String ns) {
        KubernetesSerialization json = client.getKubernetesSerialization();
        ConfigMap before = client.resource(configMap(ns, "app-config", "old")).create();
        ConfigMap after = client.resource(configMap(ns, "app-config", "new")).update();
        ConfigMap created = client.resource(configMap(ns, "extra", "new")).create();
        return new RolloutState(
                "mock",
                null,
                List.of(
                        new RolloutState.Change(
                                "ConfigMap " + ns + "/app-config",
                                Applier.Action.CHANGED,
                                json.asJson(before),
                                json.asJson(after)),
                        new RolloutState.Change(
                                "ConfigMap " + ns + "/extra", Applier.Action.CREATED, null, json.asJson(created))),
                List.of(),
                true,
                true,
                60,
                0,
                System.currentTimeMillis());
    }

    private String mode(String ns, String name) {
        ConfigMap c = client.configMaps().inNamespace(ns).withName(name).get();
        return c == null ? null : c.getData().get("MODE");
    }

    @Test
    void onAThreadAnAbortInterruptedItPutsEverythingBackAndTheThreadStaysInterrupted() {
        RolloutState state = changedAndCreated("aborted");
        GuliException failure;
        boolean interrupted;
        Thread.currentThread().interrupt(); // what Jenkins does to the step's thread when the build is aborted
        try {
            failure = new Rollback(new KubeApi(client), log::add).rollBack(state, "aborted");
        } finally {
            interrupted = Thread.interrupted(); // read and cleared: the next test must not start interrupted
        }

        assertThat(interrupted).as("the abort is not swallowed").isTrue();
        assertThat(failure)
                .hasMessage("aborted; rolled back: deleted ConfigMap aborted/extra, restored ConfigMap "
                        + "aborted/app-config");
        assertThat(mode("aborted", "extra")).isNull();
        assertThat(mode("aborted", "app-config")).isEqualTo("old");
    }

    @Test
    void pastItsTimeLimitItTriesNothingMoreAndNamesWhatToCheckByHand() {
        RolloutState state = changedAndCreated("late");

        GuliException failure = new Rollback(new KubeApi(client), log::add, Duration.ZERO).rollBack(state, "timeout");

        assertThat(failure)
                .hasMessage("timeout; rolled back: ; ROLLBACK FAILED for ConfigMap late/extra (not tried: the "
                        + "rollback's 0s were over), ConfigMap late/app-config (not tried: the rollback's 0s were "
                        + "over): check them by hand");
        assertThat(log).contains("rollback of ConfigMap late/extra not tried: the rollback took longer than 0s");
        assertThat(mode("late", "extra")).isEqualTo("new");
        assertThat(mode("late", "app-config")).isEqualTo("new");
    }
}
