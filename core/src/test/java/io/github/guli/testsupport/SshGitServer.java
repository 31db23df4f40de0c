package io.github.guli.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.UploadPack;

/**
 * A real SSH server (Apache MINA sshd, on loopback) that serves git fetches of the bare repositories under a
 * directory with JGit's UploadPack, as a git host does: {@code ssh://git@127.0.0.1:PORT/NAME.git}. Only public-key
 * authentication of user {@code git} with the one key it is given.
 */
public final class SshGitServer implements AutoCloseable {
    private final SshServer sshd;
    private final KeyPair hostKey;

    public SshGitServer(Path repos, PublicKey allowed) throws Exception {
        hostKey = KeyUtils.generateKeyPair("ssh-rsa", 2048);
        sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setPublickeyAuthenticator(
                (user, key, session) -> user.equals("git") && KeyUtils.compareKeys(key, allowed));
        sshd.setCommandFactory((channel, command) -> new UploadPackCommand(repos, command));
        sshd.start();
    }

    public int port() {
        return sshd.getPort();
    }

    public String url(String repo) {
        return "ssh://git@127.0.0.1:" + port() + "/" + repo;
    }

    /** A known_hosts line for this server, as {@code ssh-keyscan -p PORT 127.0.0.1} would print it. */
    public String knownHostsLine() {
        return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(hostKey.getPublic());
    }

    @Override
    public void close() throws IOException {
        sshd.stop(true);
    }

    /** {@code git-upload-pack '/NAME.git'}: what a git client runs over SSH to fetch. */
    private static final class UploadPackCommand implements Command, Runnable {
        private final Path repos;
        private final String command;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        UploadPackCommand(Path repos, String command) {
            this.repos = repos;
            this.command = command;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback exit) {
            this.exit = exit;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            new Thread(this, "git-upload-pack").start();
        }

        @Override
        public void run() {
            int status = 0;
            try {
                if (!command.startsWith("git-upload-pack ")) {
                    throw new IOException("only git-upload-pack is served, not " + command);
                }
                String name = command.substring("git-upload-pack ".length())
                        .replace("'", "")
                        .replaceFirst("^/", "");
                Path dir = repos.resolve(name).normalize();
                if (!dir.startsWith(repos) || !Files.isDirectory(dir)) {
                    throw new IOException("no repository " + name);
                }
                try (Repository repo = new FileRepositoryBuilder()
                        .setGitDir(dir.toFile())
                        .setMustExist(true)
                        .build()) {
                    new UploadPack(repo).upload(in, out, err);
                }
            } catch (IOException e) {
                status = 1;
                try {
                    err.write((e.getMessage() + "\n").getBytes());
                    err.flush();
                } catch (IOException ignored) {
                    // the client went away
                }
            }
            exit.onExit(status);
        }

        @Override
        public void destroy(ChannelSession channel) {}
    }
}
