package io.github.guli.jenkins;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes to the build's console with every occurrence of the secrets a step looked up replaced by {@code ****}:
 * the build's own code may print them (an antrun {@code echo ${env.SONAR_TOKEN}}), and so may a message. Any output
 * path can be wrapped with it: the engine's log, a child process' output. Works on bytes, line by line; a secret
 * of several lines (a private key) is masked line by line, as the console shows it.
 */
final class MaskingOutputStream extends OutputStream {
    static final String MASK = "****";
    /** Shorter values are not masked: "1" or "ab" would blank out half the log and hide nothing. */
    static final int MIN_LENGTH = 3;
    /** A line longer than this is written in parts, keeping back what could be the start of a secret. */
    private static final int CHUNK = 8192;
    /** Base64 fragments shorter than this are not masked: they would match by chance. */
    static final int MIN_ENCODED = 8;
    /** Secret values inside a file credential's text: Maven settings passwords, kubeconfig tokens and keys. */
    private static final Pattern IN_FILE = Pattern.compile("(?s)<(password|passphrase|privateKey)>(.*?)</\\1>"
            + "|(?m)(?:^|[{,])\\s*-?\\s*[\"']?(token|password|client-key-data|client-secret|access-token|id-token|refresh-token)"
            + "[\"']?\\s*:\\s*['\"]?([^'\"\\s,}]+)");

    private static final Pattern CDATA = Pattern.compile("(?s)<!\\[CDATA\\[(.*?)]]>");
    private static final Pattern ENTITY = Pattern.compile("&(amp|lt|gt|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});");

    private final OutputStream out;
    private final byte[][] secrets;
    private final int keep;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    MaskingOutputStream(OutputStream out, Collection<String> secrets) {
        this.out = out;
        Set<String> lines = new LinkedHashSet<>();
        for (String s : secrets) {
            if (s != null) {
                for (String line : s.split("\r?\n")) {
                    if (line.strip().length() >= MIN_LENGTH) {
                        lines.add(line.strip());
                        lines.addAll(encodings(line.strip()));
                    }
                }
                if (s.strip().length() >= MIN_LENGTH) {
                    lines.addAll(encodings(s.strip()));
                }
            }
        }
        this.secrets = lines.stream()
                .map(s -> s.getBytes(StandardCharsets.UTF_8))
                .sorted(Comparator.comparingInt((byte[] b) -> -b.length))
                .toArray(byte[][]::new);
        this.keep =
                Arrays.stream(this.secrets).mapToInt(b -> b.length - 1).max().orElse(0);
    }

    /** The secret values inside a file credential's text (a settings.xml, a kubeconfig), to mask as well. */
    static Set<String> secretsIn(String text) {
        Set<String> found = new LinkedHashSet<>();
        if (text != null) {
            Matcher m = IN_FILE.matcher(text);
            while (m.find()) {
                if (m.group(2) != null) {
                    xmlText(m.group(2), found);
                } else {
                    found.add(m.group(4));
                    if (m.group(3).equals("client-key-data")) {
                        found.add(decoded(m.group(4)));
                    }
                }
            }
            found.remove(null);
            found.remove("");
        }
        return found;
    }

    /** An XML element's text as the file holds it (without CDATA markers) and as it reads once decoded. */
    private static void xmlText(String raw, Set<String> found) {
        String inner = CDATA.matcher(raw).replaceAll(c -> Matcher.quoteReplacement(c.group(1)));
        found.add(inner.strip());
        StringBuilder decoded = new StringBuilder();
        int at = 0;
        for (Matcher c = CDATA.matcher(raw); c.find(); at = c.end()) {
            decoded.append(unescape(raw.substring(at, c.start()))).append(c.group(1));
        }
        found.add(decoded.append(unescape(raw.substring(at))).toString().strip());
    }

    private static String unescape(String xml) {
        return ENTITY.matcher(xml)
                .replaceAll(e -> Matcher.quoteReplacement(
                        switch (e.group(1)) {
                            case "amp" -> "&";
                            case "lt" -> "<";
                            case "gt" -> ">";
                            case "quot" -> "\"";
                            case "apos" -> "'";
                            default -> character(e.group(1), e.group());
                        }));
    }

    /** The character {@code #65} or {@code #x41} stands for; an entity naming none stays as written. */
    private static String character(String ref, String entity) {
        int c = ref.startsWith("#x") ? Integer.parseInt(ref.substring(2), 16) : Integer.parseInt(ref.substring(1));
        return Character.isValidCodePoint(c) ? Character.toString(c) : entity;
    }

    private static String decoded(String base64) {
        try {
            return new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * How a secret also shows when it is encoded: URL-encoded, and in base64 at each of the three alignments it can
     * have inside a longer encoded text (the docker {@code user:password} of an auth header or config.json), keeping
     * only the characters that depend on the secret alone.
     */
    static Set<String> encodings(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        String url = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        forms.add(url);
        forms.add(url.replace("+", "%20"));
        forms.add(Pattern.compile("%[0-9A-F]{2}")
                .matcher(url)
                .replaceAll(h -> h.group().toLowerCase(Locale.ROOT)));
        byte[] b = secret.getBytes(StandardCharsets.UTF_8);
        for (int k = 0; k < 3; k++) {
            byte[] shifted = new byte[k + b.length];
            System.arraycopy(b, 0, shifted, k, b.length);
            String e = Base64.getEncoder().withoutPadding().encodeToString(shifted);
            int from = new int[] {0, 2, 3}[k];
            int to = e.length() - (shifted.length % 3 == 0 ? 0 : 1);
            if (to - from >= MIN_ENCODED) {
                forms.add(e.substring(from, to));
            }
        }
        forms.remove(secret);
        return forms;
    }

    /** A console on top of this stream, flushing each line. */
    PrintStream printStream() {
        return new PrintStream(this, true, StandardCharsets.UTF_8);
    }

    /** {@code text} with the secrets masked, for a message that is not written through this stream. */
    String mask(String text) {
        if (text == null) {
            return null;
        }
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream o = new ByteArrayOutputStream(b.length);
        maskInto(b, b.length, b.length, o);
        return o.toString(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) throws IOException {
        pending.write(b);
        if (b == '\n' || pending.size() >= CHUNK + keep) {
            drain(b == '\n');
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    /** Writes what cannot be the start of a secret; the rest waits for more bytes (or {@link #finish}). */
    @Override
    public synchronized void flush() throws IOException {
        drain(false);
        out.flush();
    }

    /** Writes everything held back, without closing the console underneath. */
    synchronized void finish() throws IOException {
        drain(true);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        finish();
    }

    private void drain(boolean all) throws IOException {
        byte[] b = pending.toByteArray();
        int safe = all ? b.length : b.length - keep;
        if (safe <= 0) {
            return;
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream(b.length);
        int done = maskInto(b, b.length, safe, o);
        out.write(o.toByteArray());
        pending.reset();
        pending.write(b, done, b.length - done);
    }

    /**
     * Copies {@code b[0..len)} to {@code o} with the secrets masked, stopping before the first byte at or after
     * {@code safe} that does not belong to a secret started before it; returns how many bytes were consumed.
     */
    private int maskInto(byte[] b, int len, int safe, ByteArrayOutputStream o) {
        int i = 0;
        byte[] mask = MASK.getBytes(StandardCharsets.US_ASCII);
        while (i < safe) {
            byte[] hit = null;
            for (byte[] s : secrets) {
                if (s.length <= len - i && Arrays.equals(b, i, i + s.length, s, 0, s.length)) {
                    hit = s;
                    break;
                }
            }
            if (hit != null) {
                o.write(mask, 0, mask.length);
                i += hit.length;
            } else {
                o.write(b[i]);
                i++;
            }
        }
        return i;
    }
}
