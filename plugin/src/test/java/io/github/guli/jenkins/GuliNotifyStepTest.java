package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.sun.net.httpserver.HttpServer;
import hudson.util.Secret;
import io.github.guli.engine.approval.Notifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * guliNotify against a webhook endpoint on loopback: the admins' notifiers get the card, their URLs and secrets are
 * looked up for the run and never reach the log, and a notifier that fails only warns.
 */
class GuliNotifyStepTest {
    static final String TOKEN = "tok-7f3a9c2e51d04b88";
    static final String SIGNING = "SEC-signing-secret-42";
    static final String INPUT = "https://jenkins.example.com/job/gulimall/42/input/";

    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> signatures = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String answer = "{}";
    /** How long the capture server waits before it answers. */
    private volatile long delayMillis;

    private List<GuliEnvironment> environments = List.of();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", x -> {
            bodies.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String sig = x.getRequestHeaders().getFirst("X-Guli-Signature");
            signatures.add(sig == null ? "" : sig);
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] out = answer.getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(status, out.length);
            x.getResponseBody().write(out);
            x.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook/" + TOKEN;
    }

    private static StringCredentials secretText(String id, String value) {
        Secret secret = mock(Secret.class);
        when(secret.getPlainText()).thenReturn(value);
        StringCredentials c = mock(StringCredentials.class);
        when(c.getId()).thenReturn(id);
        when(c.getSecret()).thenReturn(secret);
        return c;
    }

    private static GuliNotifier notifier(String name, String kind, String webhookId, String secretId) {
        GuliNotifier n = new GuliNotifier(name);
        n.setKind(kind);
        n.setWebhookCredentialsId(webhookId);
        n.setSecretCredentialsId(secretId);
        return n;
    }

    private FakeCredentialsStore store(String hookUrl) {
        Map<String, IdCredentials> byId = new HashMap<>();
        byId.put("ops-hook-url", secretText("ops-hook-url", hookUrl));
        byId.put("ops-hook-secret", secretText("ops-hook-secret", SIGNING));
        return new FakeCredentialsStore(byId);
    }

    private static GuliNotifyStep waiting() {
        GuliNotifyStep step = new GuliNotifyStep("waiting");
        step.setService("gulimall-order");
        step.setVersion("v1.2.0");
        step.setEnvironment("prod");
        step.setApprovers("release-managers, ops");
        return step;
    }

    private int send(GuliNotifyStep step, List<GuliNotifier> notifiers, FakeCredentialsStore store) throws Exception {
        return GuliNotifyStep.send(
                step,
                environments,
                notifiers,
                new CredentialsLookup(store),
                new TestRun(),
                INPUT,
                new PrintStream(log, true, StandardCharsets.UTF_8),
                Notifier::of);
    }

    private String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theWaitingCardReachesEachNotifierWithItsSecretsLookedUpForTheRun() throws Exception {
        FakeCredentialsStore store = store(url());
        int delivered =
                send(waiting(), List.of(notifier("ops-hook", "webhook", "ops-hook-url", "ops-hook-secret")), store);

        assertThat(delivered).isEqualTo(1);
        assertThat(store.lookups)
                .containsExactly(
                        "ops-hook-url as StringCredentials for TestRun",
                        "ops-hook-secret as StringCredentials for TestRun");
        assertThat(store.tracked).hasSize(2);
        assertThat(bodies).hasSize(1);
        assertThat(bodies.get(0))
                .contains("\"approval.waiting\"", "gulimall-order", "v1.2.0", "prod", "release-managers", INPUT)
                .doesNotContain(SIGNING, TOKEN);
        assertThat(signatures.get(0)).as("signed with the looked-up secret").startsWith("sha256=");
        assertThat(log()).isEmpty();
    }

    @Test
    void theCardCarriesTheCommitsAndTheConfigurationDiffOfThePreview() throws Exception {
        GuliNotifyStep step = waiting();
        step.setCommits("retry the payment callback\tCy\norder totals in cents\tBo");
        step.setDiff("--- application.properties (Nacos now)\n-port=1\n+port=2");
        send(step, List.of(notifier("ops-hook", "webhook", "ops-hook-url", null)), store(url()));

        assertThat(bodies).hasSize(1);
        assertThat(bodies.get(0)).contains("retry the payment callback", "Cy", "order totals in cents", "+port=2");
        assertThat(GuliNotifyStep.commits("a subject\tAnn\n\nno author"))
                .containsExactly(
                        new io.github.guli.engine.approval.Commit("a subject", "Ann"),
                        new io.github.guli.engine.approval.Commit("no author", ""));
    }

    @Test
    void theOutcomeFollowsAsItsOwnMessage() throws Exception {
        GuliNotifyStep step = waiting();
        GuliNotifyStep rejected = new GuliNotifyStep("rejected");
        rejected.setService(step.getService());
        rejected.setVersion(step.getVersion());
        rejected.setBy("bob");
        rejected.setReason("the migration is not reviewed");
        send(rejected, List.of(notifier("ops-hook", "webhook", "ops-hook-url", null)), store(url()));

        assertThat(bodies).hasSize(1);
        assertThat(bodies.get(0)).contains("\"approval.decided\"", "bob", "the migration is not reviewed");
        assertThat(signatures.get(0)).as("no secret, unsigned").isEmpty();
    }

    @Test
    void aNotifierThatIsDownWarnsByItsNameAndTheOthersStillGetTheCard() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        FakeCredentialsStore store = store(url());
        store.byId.put(
                "down-url", secretText("down-url", "http://127.0.0.1:" + closed + "/robot/send?access_token=" + TOKEN));
        int delivered = send(
                waiting(),
                List.of(
                        notifier("down-robot", "dingtalk", "down-url", "ops-hook-secret"),
                        notifier("ops-hook", "webhook", "ops-hook-url", null)),
                store);

        assertThat(delivered).isEqualTo(1);
        assertThat(bodies).hasSize(1);
        assertThat(log())
                .contains("WARNING: approval notifier 'down-robot' (DingTalk) did not take the message")
                .contains("the approval still waits in Jenkins")
                .doesNotContain(TOKEN, SIGNING, String.valueOf(closed));
    }

    @Test
    void anAnswerQuotingTheSecretsIsMaskedInTheWarning() throws Exception {
        status = 500;
        answer = "bad token " + TOKEN + " for key " + SIGNING;
        send(waiting(), List.of(notifier("ops-hook", "webhook", "ops-hook-url", "ops-hook-secret")), store(url()));

        assertThat(log()).contains("'ops-hook' (webhook)", "HTTP 500").doesNotContain(TOKEN, SIGNING);
    }

    @Test
    void missingCredentialsAreNamedAndTheOtherNotifiersStillSend() throws Exception {
        int delivered = send(
                waiting(),
                List.of(
                        notifier("wecom-ops", "wecom", "no-such-id", null),
                        notifier("unset", "feishu", null, null),
                        notifier("ops-hook", "webhook", "ops-hook-url", null)),
                store(url()));

        assertThat(delivered).isEqualTo(1);
        assertThat(log())
                .contains("WARNING: [guliNotify] notifier 'wecom-ops' was not asked: no credentials with ID "
                        + "'no-such-id' (notifier wecom-ops webhook URL) are visible to this build")
                .contains("notifier 'unset' was not asked: it names no webhook credentials");
    }

    @Test
    void anUnknownEventSendsNothingAndSaysWhichEventsThereAre() throws Exception {
        int delivered = send(
                new GuliNotifyStep("approvd"),
                List.of(notifier("ops-hook", "webhook", "ops-hook-url", null)),
                store(url()));

        assertThat(delivered).isZero();
        assertThat(bodies).isEmpty();
        assertThat(log())
                .contains("WARNING: [guliNotify] unknown event 'approvd': use one of waiting, approved, rejected,"
                        + " timedOut; nothing was sent");
    }

    @Test
    void anEnvironmentsNotifiersAreTheOnlyOnesToldOfItsApprovals() throws Exception {
        GuliEnvironment prod = new GuliEnvironment("prod");
        prod.setNotifiers("prod-hook");
        environments = List.of(prod, new GuliEnvironment("staging"));
        List<GuliNotifier> both = List.of(
                notifier("ops-hook", "webhook", "ops-hook-url", null),
                notifier("prod-hook", "webhook", "ops-hook-url", "ops-hook-secret"));

        assertThat(send(waiting(), both, store(url()))).isEqualTo(1);
        assertThat(signatures).as("only prod-hook, the signed one").hasSize(1);
        assertThat(signatures.get(0)).startsWith("sha256=");

        GuliNotifyStep staging = waiting();
        staging.setEnvironment("staging");
        assertThat(send(staging, both, store(url())))
                .as("staging names none: all")
                .isEqualTo(2);
        GuliNotifyStep own = waiting();
        own.setEnvironment(null);
        assertThat(send(own, both, store(url())))
                .as("a build's own deploy: all")
                .isEqualTo(2);
    }

    @Test
    void anEnvironmentNamingANotifierThatIsNotConfiguredSendsNothingAndSaysWhich() throws Exception {
        GuliEnvironment prod = new GuliEnvironment("prod");
        prod.setNotifiers("ops-dingtak");
        environments = List.of(prod);

        int delivered = send(waiting(), List.of(notifier("ops-hook", "webhook", "ops-hook-url", null)), store(url()));

        assertThat(delivered).isZero();
        assertThat(bodies).isEmpty();
        assertThat(log())
                .contains("WARNING: [guliNotify] environment 'prod' names the notifier(s) ops-dingtak, which are not"
                        + " configured: the notifiers are ops-hook");
    }

    @Test
    void aSlowNotifierIsGivenUpAfterItsOwnTimeout() throws Exception {
        delayMillis = 3000;
        GuliNotifier slow = notifier("ops-hook", "webhook", "ops-hook-url", null);
        slow.setTimeoutSeconds(1);
        long start = System.nanoTime();

        int delivered = send(waiting(), List.of(slow), store(url()));

        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(delivered).isZero();
        assertThat(tookMillis)
                .as("its 1 s, not the default 5 s nor the server's 3 s")
                .isLessThan(2500);
        assertThat(log()).contains("notifier 'ops-hook'").doesNotContain(TOKEN);
    }

    @Test
    void timeoutsOutOfBoundsAreRefusedByNameAndTheDefaultsApplyUnset() throws Exception {
        GuliNotifier n = notifier("ops-hook", "webhook", "ops-hook-url", null);
        assertThat(n.getConnectTimeoutSeconds()).isEqualTo(3);
        assertThat(n.getTimeoutSeconds()).isEqualTo(5);
        n.setTimeoutSeconds(0);
        assertThat(n.getTimeoutSeconds()).as("0: the default").isEqualTo(5);
        n.setTimeoutSeconds(600);

        assertThat(send(waiting(), List.of(n), store(url()))).isZero();
        assertThat(log())
                .contains("notifier 'ops-hook' was not asked: notifier 'ops-hook': the timeout must be between 1 ms"
                        + " and 1 minute");
        assertThat(bodies).isEmpty();
    }

    @Test
    void noNotifiersNoMessageAndNoWord() throws Exception {
        assertThat(send(waiting(), List.of(), store(url()))).isZero();
        assertThat(bodies).isEmpty();
        assertThat(log()).isEmpty();
    }
}
