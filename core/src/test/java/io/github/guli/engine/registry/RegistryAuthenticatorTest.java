package io.github.guli.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who may receive the registry password: the challenge's parts and the token service (realm) rules. */
class RegistryAuthenticatorTest {
    private static final RegistryEndpoint HTTPS = RegistryEndpoint.parse("registry.example.com");
    private static final RegistryEndpoint PLAIN = RegistryEndpoint.parse("http://10.0.0.5:5000");

    @Test
    void aChallengeGivesItsSchemeAndItsQuotedParameters() {
        RegistryAuthenticator.Challenge c = RegistryAuthenticator.Challenge.parse(
                "Bearer realm=\"https://auth.example.com/token\",service=\"registry\",Scope=\"repository:a/b:pull\"");
        assertThat(c.scheme()).isEqualTo("Bearer");
        assertThat(c.params())
                .isEqualTo(Map.of(
                        "realm", "https://auth.example.com/token",
                        "service", "registry",
                        "scope", "repository:a/b:pull"));
        assertThat(RegistryAuthenticator.Challenge.parse("Basic").scheme()).isEqualTo("Basic");
        assertThat(RegistryAuthenticator.Challenge.parse(null).params()).isEmpty();
    }

    @Test
    void anHttpsTokenServiceMayBeAnywhere() {
        assertThat(RegistryAuthenticator.tokenRealm(HTTPS, "https://auth.example.org/token"))
                .isEqualTo(URI.create("https://auth.example.org/token"));
        assertThat(RegistryAuthenticator.tokenRealm(PLAIN, "https://auth.example.org/token"))
                .isEqualTo(URI.create("https://auth.example.org/token"));
    }

    @Test
    void anHttpsRegistrysTokenServiceMustBeHttpsEvenOnItsOwnHost() {
        assertThatThrownBy(() -> RegistryAuthenticator.tokenRealm(HTTPS, "http://registry.example.com/token"))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("over plain http")
                .hasMessageContaining("must be https");
    }

    @Test
    void anHttpTokenServiceMustBeThePlainRegistrysOwnHostAndPort() {
        assertThat(RegistryAuthenticator.tokenRealm(PLAIN, "http://10.0.0.5:5000/token"))
                .isEqualTo(URI.create("http://10.0.0.5:5000/token"));
        assertThat(RegistryAuthenticator.tokenRealm(PLAIN, "HTTP://10.0.0.5:5000/token?x=1"))
                .hasPort(5000);
        for (String realm : new String[] {
            "http://10.0.0.5:5001/token", "http://10.0.0.5/token", "http://10.0.0.6:5000/token", "http://evil/token"
        }) {
            assertThatThrownBy(() -> RegistryAuthenticator.tokenRealm(PLAIN, realm))
                    .as(realm)
                    .isInstanceOf(GuliException.class)
                    .hasMessageContaining("named the token service " + realm)
                    .hasMessageContaining("must be the registry's own http://10.0.0.5:5000");
        }
    }

    @Test
    void anHttpTokenServiceOnTheDefaultPortMatchesARegistryWithoutAPort() {
        RegistryEndpoint noPort = RegistryEndpoint.parse("http://10.0.0.5");
        assertThat(RegistryAuthenticator.tokenRealm(noPort, "http://10.0.0.5:80/token"))
                .hasHost("10.0.0.5");
        assertThatThrownBy(() -> RegistryAuthenticator.tokenRealm(noPort, "http://10.0.0.5:8080/token"))
                .isInstanceOf(GuliException.class);
    }

    @Test
    void aRealmThatIsNotAUrlOrHasNoSchemeIsRefused() {
        assertThatThrownBy(() -> RegistryAuthenticator.tokenRealm(PLAIN, "http://a b/"))
                .hasMessageContaining("not a URL");
        assertThatThrownBy(() -> RegistryAuthenticator.tokenRealm(PLAIN, "/token"))
                .hasMessageContaining("named the token service /token");
        assertThatThrownBy(() -> RegistryAuthenticator.tokenRealm(PLAIN, "file:///etc/passwd"))
                .isInstanceOf(GuliException.class);
    }

    @Test
    void theSameOriginIsSchemeHostAndPort() {
        URI registry = URI.create("https://registry.example.com/v2/");
        assertThat(RegistryHttp.sameOrigin(URI.create("https://REGISTRY.example.com:443/x"), registry))
                .isTrue();
        assertThat(RegistryHttp.sameOrigin(URI.create("http://registry.example.com/x"), registry))
                .isFalse();
        assertThat(RegistryHttp.sameOrigin(URI.create("https://registry.example.com:8443/x"), registry))
                .isFalse();
        assertThat(RegistryHttp.sameOrigin(URI.create("https://storage.example.com/x"), registry))
                .isFalse();
        assertThat(RegistryHttp.sameOrigin(URI.create("/relative"), registry)).isFalse();
    }
}
