package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged plugin speaks English and Simplified Chinese alike: every help file, view text and message exists in
 * both, the way Jenkins looks them up ({@code help-X_zh_CN.html}, {@code <view>_zh_CN.properties},
 * {@code Messages_zh_CN.properties} beside the English ones).
 */
class LocalizationIT {
    private static final String ZH = "_zh_CN";
    private static final String DIR = "io/github/guli/jenkins/";
    /** A view's localised text: ${%key} or ${%key(args)}. */
    private static final Pattern VIEW_TEXT = Pattern.compile("\\$\\{%([^(}]+)");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)");
    private static final Pattern CODE = Pattern.compile("<code>(.*?)</code>", Pattern.DOTALL);
    private static final Pattern CJK = Pattern.compile("\\p{IsHan}");

    private static Map<String, byte[]> entries;

    @BeforeAll
    static void open(@TempDir Path tmp) throws IOException {
        if (PluginViewsIT.entries.isEmpty()) {
            PluginViewsIT.open(tmp);
        }
        entries = PluginViewsIT.entries;
    }

    private static Set<String> names(String regex) {
        Set<String> names = new TreeSet<>();
        for (String n : entries.keySet()) {
            if (n.startsWith(DIR) && n.matches(regex)) {
                names.add(n);
            }
        }
        return names;
    }

    @Test
    void everyHelpFileExistsInBothLanguages() throws Exception {
        Set<String> english = names(".*/help(-[A-Za-z0-9]+)?\\.html");
        Set<String> chinese = names(".*/help(-[A-Za-z0-9]+)?" + ZH + "\\.html");
        assertThat(english).hasSizeGreaterThanOrEqualTo(80);
        List<String> missing = new ArrayList<>();
        for (String e : english) {
            if (!chinese.contains(e.replace(".html", ZH + ".html"))) {
                missing.add(e.replace(".html", ZH + ".html"));
            }
        }
        for (String c : chinese) {
            if (!english.contains(c.replace(ZH + ".html", ".html"))) {
                missing.add(c.replace(ZH + ".html", ".html"));
            }
        }
        assertThat(missing).as("help files without their other language").isEmpty();
    }

    @Test
    void chineseHelpIsWellFormedChineseUtf8KeepingEveryCodeSpan() throws Exception {
        for (String c : names(".*/help(-[A-Za-z0-9]+)?" + ZH + "\\.html")) {
            String text = utf8(c);
            assertThat(CJK.matcher(text).find()).as(c + " is in Chinese").isTrue();
            DocumentBuilderFactory.newInstance()
                    .newDocumentBuilder()
                    .parse(new ByteArrayInputStream(entries.get(c))); // throws on malformed markup
            String english = utf8(c.replace(ZH + ".html", ".html"));
            assertThat(codeSpans(text))
                    .as(c + ": the code, keys and URLs of the English help")
                    .isEqualTo(codeSpans(english));
        }
    }

    @Test
    void everyTextOfAViewIsTranslatedAndNoTranslationIsStale() throws Exception {
        Set<String> views = names(".*\\.jelly");
        assertThat(views).contains(DIR + "GuliConfiguration/config.jelly", DIR + "GuliSummary/summary.jelly");
        int keys = 0;
        for (String view : views) {
            Set<String> used = new TreeSet<>();
            Matcher m = VIEW_TEXT.matcher(utf8(view));
            while (m.find()) {
                used.add(m.group(1));
            }
            if (used.isEmpty()) {
                continue;
            }
            keys += used.size();
            String base = view.substring(0, view.length() - ".jelly".length());
            Properties english = properties(base + ".properties", false);
            Properties chinese = properties(base + ZH + ".properties", true);
            assertThat(chinese.stringPropertyNames())
                    .as(base + ZH + ".properties")
                    .isEqualTo(used);
            assertThat(used).as(base + ".properties: only keys of the view").containsAll(english.stringPropertyNames());
            for (String key : used) {
                // without an English entry Jenkins shows the key itself
                String en = english.getProperty(key, key.replace("'", "''"));
                assertSameMessage(base + ": " + key, en, chinese.getProperty(key));
            }
        }
        assertThat(keys).isGreaterThanOrEqualTo(70);
    }

    @Test
    void everyMessageExistsInBothLanguagesWithTheSamePlaceholders() throws Exception {
        Properties english = properties(DIR + "Messages.properties", false);
        Properties chinese = properties(DIR + "Messages" + ZH + ".properties", true);
        assertThat(english.stringPropertyNames()).isNotEmpty();
        assertThat(chinese.stringPropertyNames())
                .as("Messages" + ZH + ".properties")
                .isEqualTo(english.stringPropertyNames());
        for (String key : english.stringPropertyNames()) {
            assertSameMessage(key, english.getProperty(key), chinese.getProperty(key));
        }
    }

    private static void assertSameMessage(String what, String english, String chinese) {
        assertThat(chinese).as(what).isNotBlank();
        assertThat(CJK.matcher(chinese).find() || chinese.equals(english))
                .as(what + " is in Chinese: " + chinese)
                .isTrue();
        assertThat(placeholders(chinese)).as(what + ": placeholders").isEqualTo(placeholders(english));
        Object[] args = {"a", "b", "c"};
        // Jenkins formats every found text, so a lone ' or { would vanish or fail on the page
        assertThat(new MessageFormat(chinese).format(args)).as(what).isNotBlank();
        assertThat(new MessageFormat(english).format(args)).as(what).isNotBlank();
    }

    private static Set<String> placeholders(String message) {
        Set<String> found = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(message);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static List<String> codeSpans(String html) {
        List<String> spans = new ArrayList<>();
        Matcher m = CODE.matcher(html);
        while (m.find()) {
            spans.add(m.group(1).replaceAll("\\s+", " "));
        }
        spans.sort(null);
        return spans;
    }

    private static Properties properties(String name, boolean required) throws IOException {
        Properties p = new Properties();
        if (!entries.containsKey(name)) {
            assertThat(required).as(name + " is missing").isFalse();
            return p;
        }
        String text = utf8(name);
        assertThat(text.isBlank()).as(name + " is empty").isFalse();
        p.load(new StringReader(text));
        return p;
    }

    /** The entry decoded as strict UTF-8: Jenkins reads properties as UTF-8 and would fall back to Latin-1. */
    private static String utf8(String name) throws CharacterCodingException {
        assertThat(entries.keySet()).as("packaged").contains(name);
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(entries.get(name)))
                .toString();
    }
}
