package io.github.guli.engine.registry;

/** A manifest exactly as the registry served it: its bytes must be put back unchanged to keep its digest. */
public record ImageManifest(byte[] body, String mediaType, String digest) {}
