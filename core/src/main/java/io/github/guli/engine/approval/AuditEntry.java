package io.github.guli.engine.approval;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.guli.engine.GuliException;
import java.time.Instant;

/**
 * One decision on an approval, as one JSON line: who, when (ISO-8601, UTC), what (approved, rejected, timed out,
 * freeze override), why, and what it was about. Jackson writes it, so no reason or name can break the line.
 */
@JsonPropertyOrder({"at", "who", "decision", "reason", "build", "service", "version", "digest", "environment"})
public record AuditEntry(
        String who,
        Instant at,
        String decision,
        String reason,
        String build,
        String service,
        String version,
        String digest,
        String environment) {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper()
                    .registerModule(new com.fasterxml.jackson.databind.module.SimpleModule()
                            .addSerializer(
                                    Instant.class, new com.fasterxml.jackson.databind.ser.std.ToStringSerializer())
                            .addDeserializer(Instant.class, new InstantReader()));

    public String toJsonLine() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit entry Jackson cannot write", e);
        }
    }

    public static AuditEntry fromJsonLine(String line) {
        try {
            return JSON.readValue(line, AuditEntry.class);
        } catch (JsonProcessingException e) {
            throw new GuliException("not an audit line (" + e.getOriginalMessage() + "): each line is one JSON object"
                    + " as guli writes it");
        }
    }

    private static final class InstantReader
            extends com.fasterxml.jackson.databind.deser.std.FromStringDeserializer<Instant> {
        InstantReader() {
            super(Instant.class);
        }

        @Override
        protected Instant _deserialize(String value, com.fasterxml.jackson.databind.DeserializationContext ctxt) {
            return Instant.parse(value);
        }
    }
}
