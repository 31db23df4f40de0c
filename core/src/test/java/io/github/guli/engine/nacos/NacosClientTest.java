package io.github.guli.engine.nacos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.testsupport.NacosStandIn;
import io.github.guli.testsupport.StalledServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NacosClientTest {
    static final String GROUP = NacosNames.DEFAULT_GROUP;
    static final UsernamePassword NACOS = new UsernamePassword("deployer", "s3cret-Nacos-pw");

    @Test
    void publishesReadsDeletesAndListsTheHistoryOfAConfiguration() throws Exception {
        try (NacosStandIn nacos = NacosStandIn.open()) {
            NacosClient client = new NacosClient(nacos.url(), null, "");

            assertThat(client.get(GROUP, "application-prod.properties")).isEmpty();
            client.publish(GROUP, "application-prod.properties", new NacosConfig("a=1\n", "properties"), null);
            client.publish(GROUP, "application-prod.properties", new NacosConfig("a=2\n", "properties"), null);

            assertThat(client.get(GROUP, "application-prod.properties"))
                    .contains(new NacosConfig("a=2\n", "properties"));
            assertThat(nacos.content("public", GROUP, "application-prod.properties"))
                    .contains("a=2\n");
            List<HistoryEntry> history = client.history(GROUP, "application-prod.properties");
            assertThat(history).extracting(HistoryEntry::opType).containsExactly("U", "I");
            assertThat(history.get(0).lastModifiedMillis()).isPositive();
            assertThat(client.historyContent(
                            GROUP, "application-prod.properties", history.get(0).id()))
                    .as("an update's entry holds the content it replaced")
                    .isEqualTo("a=1\n");

            client.delete(GROUP, "application-prod.properties");
            assertThat(client.get(GROUP, "application-prod.properties")).isEmpty();
            assertThat(client.history(GROUP, "application-prod.properties"))
                    .extracting(HistoryEntry::opType)
                    .containsExactly("D", "U", "I");
        }
    }

    @Test
    void aNamespaceIsSentAsTheTenantAndKeepsItsConfigurationApart() throws Exception {
        try (NacosStandIn nacos = NacosStandIn.open()) {
            new NacosClient(nacos.url(), null, "prod")
                    .publish(GROUP, "app.yaml", new NacosConfig("a: 1\n", "yaml"), null);

            assertThat(nacos.content("prod", GROUP, "app.yaml")).contains("a: 1\n");
            assertThat(new NacosClient(nacos.url(), null, "").get(GROUP, "app.yaml"))
                    .isEmpty();
            assertThat(new NacosClient(nacos.url() + "/nacos/", null, "prod").get(GROUP, "app.yaml"))
                    .contains(new NacosConfig("a: 1\n", "yaml"));
        }
    }

    @Test
    void withAuthItLogsInAndSendsTheTokenInAHeaderNeverInAUrl() throws Exception {
        try (NacosStandIn nacos = NacosStandIn.withAuth(NACOS.username(), NACOS.password())) {
            NacosClient client = new NacosClient(nacos.url(), NACOS, "prod");
            client.publish(GROUP, "app.properties", new NacosConfig("a=1\n", "properties"), null);
            client.get(GROUP, "app.properties");
            client.history(GROUP, "app.properties");
            client.delete(GROUP, "app.properties");

            List<NacosStandIn.Request> requests = nacos.requests();
            assertThat(requests.get(0).url()).isEqualTo("/nacos/v1/auth/login");
            assertThat(requests.get(0).body()).contains("password=");
            String token = requests.get(1).headers().get("Authorization").get(0);
            assertThat(token).startsWith("Bearer ").hasSizeGreaterThan(20);
            assertThat(requests.subList(1, requests.size()))
                    .allSatisfy(
                            r -> assertThat(r.headers().get("Authorization")).containsExactly(token));
            assertThat(requests)
                    .allSatisfy(r -> assertThat(r.url())
                            .doesNotContain(NACOS.password())
                            .doesNotContain(token.substring(7))
                            .doesNotContainIgnoringCase("accessToken")
                            .doesNotContain("password"));
            assertThat(requests.stream().filter(r -> r.method().equals("POST")).count())
                    .as("one login only")
                    .isEqualTo(2);
        }
    }

    @Test
    void anExpiredTokenIsRenewedByLoggingInAgain() throws Exception {
        try (NacosStandIn nacos = NacosStandIn.withAuth(NACOS.username(), NACOS.password())) {
            NacosClient client = new NacosClient(nacos.url(), NACOS, "");
            assertThat(client.get(GROUP, "a.yaml")).isEmpty();
            nacos.expireTokens();

            client.publish(GROUP, "a.yaml", new NacosConfig("a: 1\n", "yaml"), null);

            assertThat(nacos.content("", GROUP, "a.yaml")).contains("a: 1\n");
            assertThat(nacos.requests())
                    .extracting(NacosStandIn.Request::url)
                    .containsExactly(
                            "/nacos/v1/auth/login",
                            "/nacos/v1/cs/configs?dataId=a.yaml&group=DEFAULT_GROUP",
                            "/nacos/v1/cs/configs",
                            "/nacos/v1/auth/login",
                            "/nacos/v1/cs/configs");
        }
    }

    @Test
    void aWrongPasswordFailsAtTheLoginNamingTheUserAndTheFix() throws Exception {
        try (NacosStandIn nacos = NacosStandIn.withAuth(NACOS.username(), NACOS.password())) {
            NacosClient client = new NacosClient(nacos.url(), new UsernamePassword("deployer", "wrong-one"), "");

            assertThatThrownBy(() -> client.publish(GROUP, "a.yaml", new NacosConfig("a: 1\n", "yaml"), null))
                    .isInstanceOf(GuliException.class)
                    .hasMessageContaining("refused the login of user 'deployer' (HTTP 403")
                    .hasMessageContaining("username or password is wrong")
                    .message()
                    .doesNotContain("wrong-one");
            assertThat(nacos.requests()).extracting(NacosStandIn.Request::url).containsExactly("/nacos/v1/auth/login");
            assertThat(nacos.content("", GROUP, "a.yaml")).isEmpty();
        }
    }

    @Test
    void withoutCredentialsAServerWithAuthIsRefusedWithTheFix() throws Exception {
        try (NacosStandIn nacos = NacosStandIn.withAuth(NACOS.username(), NACOS.password())) {
            assertThatThrownBy(() -> new NacosClient(nacos.url(), null, "").get(GROUP, "a.yaml"))
                    .hasMessageContaining("HTTP 403")
                    .hasMessageContaining("requires a login; give the environment's Nacos username and password");
        }
    }

    @Test
    void aUserWithoutWritePermissionIsToldWhichNamespaceNeedsIt() throws Exception {
        try (NacosStandIn nacos = NacosStandIn.withAuth(NACOS.username(), NACOS.password())) {
            nacos.denyWrites();
            NacosClient client = new NacosClient(nacos.url(), NACOS, "prod");

            assertThatThrownBy(() -> client.publish(GROUP, "a.yaml", new NacosConfig("a: 1\n", "yaml"), null))
                    .hasMessageContaining("refused user 'deployer' (HTTP 403")
                    .hasMessageContaining("read and write permission on namespace 'prod'");
        }
    }

    @Test
    void anInvalidNameFailsBeforeAnythingIsSent() throws Exception {
        try (NacosStandIn nacos = NacosStandIn.open()) {
            NacosClient client = new NacosClient(nacos.url(), null, "");

            assertThatThrownBy(() -> client.get(GROUP, "app prod.properties"))
                    .hasMessage("'app prod.properties' is not a valid Nacos dataId: use letters, digits, '_', '-', "
                            + "'.' and ':' only, at most 255 characters");
            assertThatThrownBy(() -> client.get("my group", "a.yaml")).hasMessageContaining("not a valid Nacos group");
            assertThatThrownBy(() -> client.get(GROUP, "x".repeat(256))).hasMessageContaining("at most 255");
            assertThatThrownBy(() -> new NacosClient(nacos.url(), null, "../prod"))
                    .hasMessageContaining("not a valid Nacos namespace");
            assertThatThrownBy(() -> client.publish(GROUP, "a.yaml", new NacosConfig(" \n", "yaml"), null))
                    .hasMessageContaining("Nacos refuses empty content");
            assertThat(nacos.requests()).isEmpty();
        }
    }

    @Test
    void aUrlWithCredentialsOrWithoutAHostIsRefused() {
        assertThatThrownBy(() -> new NacosClient("http://nacos:pw@nacos:8848", null, ""))
                .hasMessageContaining("must not carry a user, password");
        assertThatThrownBy(() -> new NacosClient("nacos:8848", null, "")).hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> new NacosClient(" ", null, "")).hasMessageContaining("no Nacos URL");
        assertThatThrownBy(() -> new NacosClient("nacos:pw-in-url@nacos:8848", null, ""))
                .hasMessageContaining("'nacos:8848' must be http:// or https://")
                .message()
                .doesNotContain("pw-in-url");
    }

    @Test
    void aServerThatNeverAnswersFailsWithinTheTimeout() throws Exception {
        try (StalledServer stalled = new StalledServer()) {
            NacosClient client = new NacosClient("http://" + stalled.hostPort(), null, "", Duration.ofSeconds(1));
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.get(GROUP, "a.yaml"))
                    .hasMessage("Nacos at http://" + stalled.hostPort() + "/nacos did not answer within 1 s: is the "
                            + "server overloaded, or the URL that of something else?");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void anUnreachableServerIsNamedWithTheFix() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        NacosClient client = new NacosClient("http://127.0.0.1:" + port, NACOS, "");
        assertThatThrownBy(() -> client.get(GROUP, "a.yaml"))
                .hasMessageStartingWith("cannot reach Nacos at http://127.0.0.1:" + port + "/nacos")
                .hasMessageContaining("is it running, and is the environment's Nacos URL right?");
    }

    @Test
    void aPublishWhoseCasMd5NoLongerMatchesIsRefusedAndChangesNothing() throws Exception {
        try (NacosStandIn nacos = NacosStandIn.open()) {
            nacos.put("", GROUP, "a.yaml", "a: 1\n", "yaml");
            NacosClient client = new NacosClient(nacos.url(), null, "");
            String seen = client.get(GROUP, "a.yaml").orElseThrow().md5();
            nacos.put("", GROUP, "a.yaml", "a: 2\n", "yaml");

            assertThatThrownBy(() -> client.publish(GROUP, "a.yaml", new NacosConfig("a: 3\n", "yaml"), seen))
                    .hasMessageContaining("its content changed in Nacos since it was read");
            assertThat(nacos.content("", GROUP, "a.yaml")).contains("a: 2\n");
            client.publish(GROUP, "a.yaml", new NacosConfig("a: 3\n", "yaml"), new NacosConfig("a: 2\n", "y").md5());
            assertThat(nacos.content("", GROUP, "a.yaml")).contains("a: 3\n");
        }
    }
}
