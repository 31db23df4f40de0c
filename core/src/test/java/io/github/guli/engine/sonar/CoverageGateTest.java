package io.github.guli.engine.sonar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.guli.engine.build.BuildRequest;
import io.github.guli.engine.build.MavenBuild;
import io.github.guli.engine.process.LocalCommands;
import io.github.guli.testsupport.GuliMall;
import io.github.guli.testsupport.SonarAdmin;
import io.github.guli.testsupport.TestServices;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coverage guliBuild reports, judged by the real SonarQube's default gate (Sonar way: coverage on new code at
 * least 80%), with the fixture's pom as it is and with the chapter's own JaCoCo set-up in it.
 */
class CoverageGateTest {
    private static final String SERVICE = "gulimall-order/src/main/java/com/atguigu/gulimall/order/service/";
    private static final String TESTS = "gulimall-order/src/test/java/com/atguigu/gulimall/order/service/";

    private final SonarAdmin admin = new SonarAdmin();
    private final String token = TestServices.sonarToken();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final MavenBuild build = new MavenBuild(log::add, output::add, new LocalCommands());

    @Test
    void aCoveredChangePassesTheDefaultGateAndAnUncoveredOneFailsItOnCoverage(@TempDir Path ws) throws Exception {
        String key = SonarAdmin.unique("guli-coverage");
        admin.createProject(key, key);
        // new code: what changed since the previous version (each analysis below is a version of its own)
        admin.post("api/new_code_periods/set", Map.of("project", key, "type", "PREVIOUS_VERSION"));
        GuliMall.copy(ws);

        QualityGate.Result first = analyse(ws, key, "1");
        assertThat(first.status()).isEqualTo("OK");
        assertThat(ws.resolve("gulimall-order/target/site/jacoco/jacoco.xml")).isRegularFile();
        assertThat(measure(key, "coverage"))
                .as("the fixture's own tests cover the order service")
                .isPositive();

        GuliMall.write(ws, SERVICE + "ShippingFee.java", SHIPPING_FEE);
        GuliMall.write(ws, TESTS + "ShippingFeeTest.java", SHIPPING_FEE_TEST);
        QualityGate.Result covered = analyse(ws, key, "2");
        assertThat(covered.status()).isEqualTo("OK");
        assertThat(covered.conditions())
                .as("the default gate judged coverage on new code")
                .anyMatch(c -> c.metric().equals("new_coverage")
                        && c.status().equals("OK")
                        && Double.parseDouble(c.actual()) >= 80);

        GuliMall.write(ws, SERVICE + "Invoice.java", INVOICE);
        assertThatThrownBy(() -> analyse(ws, key, "3"))
                .hasMessageMatching("(?s)quality gate failed for " + key + " \\(status ERROR\\):\n"
                        + "  - Coverage on New Code \\(new_coverage\\) is [0-9.]+, must not be less than 80\n.*");
        System.out.println("coverage gate of " + key + ": "
                + log.stream()
                        .filter(l -> l.contains("quality gate") || l.contains("new_coverage"))
                        .toList());
    }

    @Test
    void theChaptersOwnJacocoSetUpRunsOneAgentAndKeepsThePomsArgLine(@TempDir Path ws) throws Exception {
        String key = SonarAdmin.unique("guli-chapter-jacoco");
        GuliMall.copy(ws);
        // the chapter's root pom: jacoco-maven-plugin with its agents and a report at verify (here a version that
        // reads Java 17 classes), and an argLine of the pom's own
        GuliMall.edit(
                ws, "pom.xml", "<junit.version>", "<argLine>-Dguli.pom.argline=kept</argLine>\n    <junit.version>");
        GuliMall.edit(ws, "pom.xml", "  <build>\n", "  <build>\n" + CHAPTER_JACOCO);
        GuliMall.write(ws, TESTS + "AgentsTest.java", AGENTS_TEST);

        analyse(ws, key, "1");

        assertThat(String.join("\n", output))
                .contains("AGENTS [org.jacoco.agent-0.8.12-runtime.jar]")
                .contains("POM ARGLINE kept");
        assertThat(ws.resolve("gulimall-order/target/site/jacoco/jacoco.xml")).isRegularFile();
        assertThat(measure(key, "coverage")).isPositive();
    }

    private QualityGate.Result analyse(Path ws, String key, String version) {
        build.run(
                ws.toFile(),
                new BuildRequest()
                        .module("gulimall-order")
                        .mavenOptions(List.of("-Dsonar.projectVersion=" + version))
                        .sonar(new SonarAnalysis()
                                .serverUrl(admin.url())
                                .token(token)
                                .projectKey(key)));
        return new QualityGate(log::add)
                .check(
                        ws.toFile(),
                        new QualityGateRequest()
                                .module("gulimall-order")
                                .projectKey(key)
                                .serverUrl(admin.url())
                                .token(token)
                                .timeout(Duration.ofMinutes(10)));
    }

    private double measure(String key, String metric) throws Exception {
        JsonNode m = admin.get("api/measures/component?metricKeys=" + metric + "&component="
                + URLEncoder.encode(key, StandardCharsets.UTF_8));
        return m.path("component").path("measures").path(0).path("value").asDouble(-1);
    }

    private static final String CHAPTER_JACOCO = """
                <plugins>
                  <plugin>
                    <groupId>org.jacoco</groupId>
                    <artifactId>jacoco-maven-plugin</artifactId>
                    <version>0.8.12</version>
                    <configuration>
                      <append>true</append>
                    </configuration>
                    <executions>
                      <execution><id>agent-for-ut</id><goals><goal>prepare-agent</goal></goals></execution>
                      <execution><id>agent-for-it</id><goals><goal>prepare-agent-integration</goal></goals></execution>
                      <execution><id>jacoco-site</id><phase>verify</phase><goals><goal>report</goal></goals></execution>
                    </executions>
                  </plugin>
                </plugins>
            """;

    /** Prints the JaCoCo agents the test JVM runs with, and the property the pom's argLine sets. */
    private static final String AGENTS_TEST = """
            package com.atguigu.gulimall.order.service;

            import java.lang.management.ManagementFactory;
            import org.junit.jupiter.api.Test;

            class AgentsTest {
                @Test
                void report() {
                    System.out.println("AGENTS " + ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                            .filter(a -> a.startsWith("-javaagent:"))
                            .map(a -> a.split("=", 2)[0].replaceAll(".*/", ""))
                            .toList());
                    System.out.println("POM ARGLINE " + System.getProperty("guli.pom.argline"));
                }
            }
            """;

    private static final String SHIPPING_FEE = """
            package com.atguigu.gulimall.order.service;

            import java.math.BigDecimal;
            import java.math.RoundingMode;
            import java.util.ArrayList;
            import java.util.List;

            public class ShippingFee {
                private static final BigDecimal FREE_FROM = new BigDecimal("99.00");
                private static final BigDecimal BASE = new BigDecimal("8.00");
                private static final BigDecimal PER_KG = new BigDecimal("2.50");
                private static final BigDecimal REMOTE = new BigDecimal("1.5");

                public BigDecimal fee(BigDecimal amount, int grams, String province) {
                    boolean remote = zone(province).equals("remote");
                    if (amount.compareTo(FREE_FROM) >= 0 && !remote) {
                        return BigDecimal.ZERO.setScale(2);
                    }
                    BigDecimal kilos = BigDecimal.valueOf(grams).divide(BigDecimal.valueOf(1000), 0, RoundingMode.CEILING);
                    BigDecimal fee = BASE.add(PER_KG.multiply(kilos));
                    if (remote) {
                        fee = fee.multiply(REMOTE);
                    }
                    return fee.setScale(2, RoundingMode.HALF_UP);
                }

                public List<String> labels(int parcels, String city) {
                    List<String> labels = new ArrayList<>();
                    for (int i = 1; i <= parcels; i++) {
                        labels.add(city + " " + i + "/" + parcels);
                    }
                    return labels;
                }

                public String zone(String province) {
                    if (province == null || province.isBlank()) {
                        throw new IllegalArgumentException("no province");
                    }
                    return province.startsWith("X") || province.startsWith("T") ? "remote" : "mainland";
                }
            }
            """;

    private static final String SHIPPING_FEE_TEST = """
            package com.atguigu.gulimall.order.service;

            import static org.junit.jupiter.api.Assertions.assertEquals;
            import static org.junit.jupiter.api.Assertions.assertThrows;

            import java.math.BigDecimal;
            import java.util.List;
            import org.junit.jupiter.api.Test;

            class ShippingFeeTest {
                private final ShippingFee shipping = new ShippingFee();

                @Test
                void freeFrom99OnTheMainlandAndByWeightElsewhere() {
                    assertEquals(new BigDecimal("0.00"), shipping.fee(new BigDecimal("120"), 3000, "Zhejiang"));
                    assertEquals(new BigDecimal("13.00"), shipping.fee(new BigDecimal("20"), 1500, "Zhejiang"));
                    assertEquals(new BigDecimal("19.50"), shipping.fee(new BigDecimal("120"), 1500, "Xinjiang"));
                }

                @Test
                void labelsAndZones() {
                    assertEquals(List.of("Hangzhou 1/2", "Hangzhou 2/2"), shipping.labels(2, "Hangzhou"));
                    assertEquals("remote", shipping.zone("Tibet"));
                    assertThrows(IllegalArgumentException.class, () -> shipping.zone(" "));
                }
            }
            """;

    private static final String INVOICE = """
            package com.atguigu.gulimall.order.service;

            import java.math.BigDecimal;
            import java.math.RoundingMode;
            import java.util.LinkedHashMap;
            import java.util.Map;

            public class Invoice {
                private final Map<String, BigDecimal> lines = new LinkedHashMap<>();
                private String buyer;
                private String taxNumber;

                public Invoice buyer(String name, String number) {
                    if (number == null || number.length() != 18) {
                        throw new IllegalArgumentException("a tax number has 18 characters: " + number);
                    }
                    this.buyer = name;
                    this.taxNumber = number;
                    return this;
                }

                public Invoice line(String item, BigDecimal amount) {
                    lines.merge(item, amount, BigDecimal::add);
                    return this;
                }

                public BigDecimal net() {
                    return lines.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
                }

                public BigDecimal tax(BigDecimal rate) {
                    return net().multiply(rate).setScale(2, RoundingMode.HALF_EVEN);
                }

                public String title() {
                    StringBuilder b = new StringBuilder(buyer == null ? "personal" : buyer);
                    if (taxNumber != null) {
                        b.append(" (").append(taxNumber).append(')');
                    }
                    for (Map.Entry<String, BigDecimal> e : lines.entrySet()) {
                        b.append('\\n').append(e.getKey()).append(": ").append(e.getValue());
                    }
                    return b.toString();
                }
            }
            """;
}
