package io.github.guli.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The stand-in's own rules, by raw requests, as the Nacos server answers them. */
class NacosStandInTest {
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> send(NacosStandIn nacos, String method, String pathAndQuery, String form, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(nacos.url() + pathAndQuery))
                .method(
                        method,
                        form == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(form));
        if (form != null) {
            b.header("Content-Type", "application/x-www-form-urlencoded");
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void parametersAreCheckedAsTheServerChecksThem() throws Exception {
        try (NacosStandIn nacos = NacosStandIn.open()) {
            String configs = "/nacos/v1/cs/configs";
            assertThat(send(nacos, "GET", configs + "?dataId=a&group=G", null).statusCode())
                    .isEqualTo(404);
            assertThat(send(nacos, "GET", configs + "?dataId=a%20b&group=G", null)
                            .body())
                    .contains("invalid dataId : a b");
            assertThat(send(nacos, "GET", configs + "?dataId=a", null).body()).contains("'group' is not present");
            assertThat(send(nacos, "GET", configs + "?dataId=a&group=G&tenant=" + "t".repeat(129), null)
                            .body())
                    .isEqualTo("too long tenant, over 128");
            assertThat(send(nacos, "POST", configs, "dataId=a&group=G&content=%20")
                            .statusCode())
                    .isEqualTo(400);

            HttpResponse<String> put = send(nacos, "POST", configs, "dataId=a&group=G&tenant=&content=x%3D1&type=nope");
            assertThat(put.body()).isEqualTo("true");
            HttpResponse<String> got = send(nacos, "GET", configs + "?dataId=a&group=G&tenant=public", null);
            assertThat(got.body()).as("a blank tenant is public").isEqualTo("x=1");
            assertThat(got.headers().firstValue("Config-Type")).contains("text");
            assertThat(got.headers().firstValue("Content-MD5")).contains("a255512f9d61a6777bd5a304235bd26d");
        }
    }

    @Test
    void withAuthOnlyAValidTokenPassesInTheHeadersOrTheParameters() throws Exception {
        try (NacosStandIn nacos = NacosStandIn.withAuth("u", "p")) {
            String get = "/nacos/v1/cs/configs?dataId=a&group=G";
            assertThat(send(nacos, "POST", "/nacos/v1/auth/login", "username=u&password=bad")
                            .statusCode())
                    .isEqualTo(403);
            String token = send(nacos, "POST", "/nacos/v1/auth/login", "username=u&password=p")
                    .body()
                    .replaceAll(".*\"accessToken\":\"([^\"]+)\".*", "$1");

            assertThat(send(nacos, "GET", get, null).body()).isEqualTo("user not found!");
            assertThat(send(nacos, "GET", get, null, "Authorization", "Bearer made-up")
                            .body())
                    .isEqualTo("token invalid!");
            assertThat(send(nacos, "GET", get, null, "Authorization", "Bearer " + token)
                            .statusCode())
                    .isEqualTo(404);
            assertThat(send(nacos, "GET", get, null, "accessToken", token).statusCode())
                    .isEqualTo(404);
            assertThat(send(nacos, "GET", get + "&accessToken=" + token, null).statusCode())
                    .isEqualTo(404);
            nacos.expireTokens();
            assertThat(send(nacos, "GET", get, null, "accessToken", token).body())
                    .isEqualTo("token expired!");
        }
    }
}
