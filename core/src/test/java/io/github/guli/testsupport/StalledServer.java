package io.github.guli.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** A server that accepts connections and never answers: what a hung git or HTTP server looks like to a client. */
public final class StalledServer implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> accepted = new ArrayList<>();
    private final Thread acceptor;

    public StalledServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(
                () -> {
                    try {
                        while (true) {
                            Socket s = socket.accept();
                            synchronized (accepted) {
                                accepted.add(s);
                            }
                        }
                    } catch (IOException e) {
                        // closed
                    }
                },
                "stalled-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String hostPort() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /** How many connections were accepted (and left unanswered). */
    public int accepted() {
        synchronized (accepted) {
            return accepted.size();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        synchronized (accepted) {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
