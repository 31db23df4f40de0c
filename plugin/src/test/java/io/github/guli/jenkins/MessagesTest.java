package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jvnet.localizer.LocaleProvider;

/** Step names and form messages follow the locale of the browser being served, as Jenkins' LocaleProvider gives it. */
class MessagesTest {
    private final Locale jvm = Locale.getDefault();

    @AfterEach
    void restore() {
        LocaleProvider.setProvider(LocaleProvider.DEFAULT);
        Locale.setDefault(jvm);
    }

    private static void browser(Locale locale) {
        LocaleProvider.setProvider(new LocaleProvider() {
            @Override
            public Locale get() {
                return locale;
            }
        });
    }

    @Test
    void stepNamesFollowTheBrowsersLanguage() {
        browser(Locale.SIMPLIFIED_CHINESE);
        assertThat(new GuliDeployK8sStep.DescriptorImpl().getDisplayName())
                .isEqualTo("部署到 Kubernetes：校验、应用、等待发布完成、失败时回滚");
        assertThat(new GuliQualityGateStep.DescriptorImpl().getDisplayName()).contains("质量门禁");
        browser(Locale.US);
        assertThat(new GuliDeployK8sStep.DescriptorImpl().getDisplayName())
                .isEqualTo("Deploy to Kubernetes: validate, apply, wait for the rollout, roll back on failure");
        // the doubled apostrophe of the properties file is one on the page
        assertThat(new GuliQualityGateStep.DescriptorImpl().getDisplayName())
                .isEqualTo("Wait for the SonarQube quality gate of a GuliMall module's analysis");
    }

    @Test
    void anEnglishBrowserOnAChineseControllerReadsEnglish() {
        Locale.setDefault(Locale.SIMPLIFIED_CHINESE);
        assertThat(Messages.get(Locale.ENGLISH, "GuliConfiguration.NotAUrl", "Illegal character"))
                .isEqualTo("not a URL: Illegal character");
        assertThat(Messages.get(Locale.FRENCH, "GuliConfiguration.SonarUrlWithToken"))
                .isEqualTo("put the token in a credential, not in the URL");
        assertThat(Messages.get(Locale.CHINA, "GuliConfiguration.NotAUrl", "Illegal character"))
                .isEqualTo("不是有效的 URL：Illegal character");
    }

    @Test
    void everyKeyTheCodeAsksForExistsInBothLanguages() throws IOException {
        Pattern use = Pattern.compile("Messages\\.get\\(\"([^\"]+)\"");
        Set<String> used = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source :
                    sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = use.matcher(Files.readString(source));
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        assertThat(used).contains("GuliBuildStep.DisplayName", "GuliConfiguration.NotAnImage");
        assertThat(bundle("Messages.properties").stringPropertyNames()).containsAll(used);
        assertThat(bundle("Messages_zh_CN.properties").stringPropertyNames()).containsAll(used);
    }

    private static Properties bundle(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = MessagesTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        return p;
    }
}
