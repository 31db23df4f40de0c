package io.github.guli.jenkins;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
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
    /** Secret values inside a file credential's text: Maven settings passwords, kubeconfig tokens and keys. */
    private static final Pattern IN_FILE = Pattern.compile(
            "<(password|passphrase|privateKey)>([^<]+)</\\1>|(?m)^\\s*-?\\s*(token|password|client-key-data|id-token|refresh-token)\\s*:\\s*['\"]?([^'\"\\s]+)");

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
                    }
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
                found.add(m.group(2) != null ? m.group(2).strip() : m.group(4));
            }
        }
        return found;
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
