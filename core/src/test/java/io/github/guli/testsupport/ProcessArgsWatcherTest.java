package io.github.guli.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The watcher other tests rely on must see a secret in a real process's arguments. */
class ProcessArgsWatcherTest {
    @Test
    void seesASecretInAChildProcessArguments() throws Exception {
        String secret = "watch-me-" + System.nanoTime();
        ProcessArgsWatcher w = new ProcessArgsWatcher(List.of(secret));
        Process leaky = new ProcessBuilder("sh", "-c", "sleep 0.5; : " + secret).start();
        leaky.waitFor();
        List<String> hits = w.stop();
        assertThat(hits).isNotEmpty().allMatch(h -> h.contains("<SECRET>") && !h.contains(secret));
    }
}
