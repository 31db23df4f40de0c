package io.github.guli.engine.nacos;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** One configuration as Nacos holds it: its content, its type ({@code properties}, {@code yaml}, ...) and MD5. */
public record NacosConfig(String content, String type) implements Serializable {
    /** The MD5 Nacos keeps for the content (of its UTF-8 bytes, lower-case hex): what a compare-and-set publish sends. */
    public String md5() {
        return digest("MD5", content);
    }

    public String sha256() {
        return digest("SHA-256", content);
    }

    static String digest(String algorithm, String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Never the content: it may hold passwords. */
    @Override
    public String toString() {
        return "NacosConfig[type=" + type + ", sha256=" + sha256() + "]";
    }
}
