package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What the controller holds of a launched process' output is bounded: lines are passed on in parts of at most 16 KiB
 * (whole UTF-8 characters), and what waits to be taken is at most about 1 MiB; a writer beyond that waits.
 */
class StepLauncherOutputTest {
    private static final int PART = 16 * 1024;
    private static final long QUEUE = 1024 * 1024;

    private final StepLauncher.Lines lines = new StepLauncher.Lines();

    /** Writes {@code bytes} from a thread of its own, then ends the output. */
    private Thread writing(byte[] bytes, int times) {
        AtomicReference<Exception> failed = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                for (int i = 0; i < times; i++) {
                    lines.write(bytes, 0, bytes.length);
                }
                lines.end();
            } catch (Exception e) {
                failed.set(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Everything the output gives until it ends. */
    private List<String> takeAll() throws InterruptedException {
        List<String> all = new ArrayList<>();
        for (List<String> l; (l = lines.next()) != null; ) {
            all.addAll(l);
        }
        return all;
    }

    @Test
    void sixtyFourMebibytesOfOneLineWithoutANewlinePassThroughWithBoundedMemory() throws Exception {
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        Thread writer = writing(chunk, 1024); // 64 MiB, no newline
        long total = 0;
        int parts = 0;
        for (List<String> l; (l = lines.next()) != null; ) {
            for (String part : l) {
                assertThat(part.length()).isLessThanOrEqualTo(PART);
                total += part.length();
                parts++;
            }
        }
        writer.join(30_000);
        assertThat(total).isEqualTo(64L * 1024 * 1024);
        assertThat(parts).isEqualTo(64 * 1024 / 16);
        assertThat(lines.maxHeld()).as("bytes held at once on the controller").isLessThanOrEqualTo(QUEUE + PART + 64);
    }

    @Test
    void aLineLongerThanTheLimitIsPassedOnInPartsOfTheLimit() throws Exception {
        writing(("a".repeat(40_000) + "\r\nshort\n").getBytes(StandardCharsets.UTF_8), 1);
        List<String> all = takeAll();
        assertThat(all).extracting(String::length).containsExactly(PART, PART, 40_000 - 2 * PART, 5);
        assertThat(all.get(3)).isEqualTo("short");
    }

    @Test
    void aCharacterOfSeveralBytesIsNeverCutInTwo() throws Exception {
        // 1 to 4 bytes a character, each offset against the limit
        for (String ch : List.of("é", "€", "😀")) {
            for (int lead = 0; lead < 4; lead++) {
                String text = "a".repeat(PART - lead) + ch.repeat(PART);
                StepLauncher.Lines out = new StepLauncher.Lines();
                byte[] b = (text + "\n").getBytes(StandardCharsets.UTF_8);
                Thread t = new Thread(() -> {
                    try {
                        out.write(b, 0, b.length);
                        out.end();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                t.start();
                StringBuilder joined = new StringBuilder();
                for (List<String> l; (l = out.next()) != null; ) {
                    for (String part : l) {
                        assertThat(part).doesNotContain("\uFFFD");
                        assertThat(part.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(PART);
                        joined.append(part);
                    }
                }
                t.join();
                assertThat(joined.toString()).as(ch + " after " + (PART - lead)).isEqualTo(text);
            }
        }
    }

    @Test
    void aWriterWaitsWhileTheQueueIsFullAndGoesOnOnceItIsTaken() throws Exception {
        byte[] line = ("y".repeat(99) + "\n").getBytes(StandardCharsets.UTF_8);
        Thread writer = writing(line, 100_000); // 10 MB of lines, nobody taking them yet
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (writer.getState() != Thread.State.WAITING && writer.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(writer.getState()).as("the writer waits for the queue").isEqualTo(Thread.State.WAITING);
        assertThat(lines.maxHeld()).isLessThanOrEqualTo(QUEUE + PART + 64);
        List<String> all = takeAll();
        writer.join(30_000);
        assertThat(writer.isAlive()).isFalse();
        assertThat(all).hasSize(100_000).allMatch(l -> l.equals("y".repeat(99)));
        assertThat(lines.maxHeld()).isLessThanOrEqualTo(QUEUE + PART + 64);
    }
}
