package io.github.guli.jenkins;

import hudson.model.Run;
import io.github.guli.engine.Blank;
import io.github.guli.engine.approval.AuditEntry;
import io.github.guli.engine.pipeline.PipelineSettings;
import io.github.guli.engine.pipeline.SettingsRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The freeze windows' override: the build parameter FREEZE_OVERRIDE_REASON, honoured only when the build's starter
 * has Overall/Administer (a job's builder cannot deploy in a freeze by typing a reason). An override is audited once
 * per build and target, however often guliSettings is asked.
 */
final class FreezeOverride {
    static final String PARAMETER = "FREEZE_OVERRIDE_REASON";

    private FreezeOverride() {}

    /** The settings; a freeze refuses (a step error) unless overridden, and an override is recorded. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> resolve(
            SettingsRequest request,
            String reason,
            Run<?, ?> run,
            String build,
            People people,
            Path auditDir,
            PrintStream log)
            throws IOException {
        String why = Blank.toNull(reason);
        String starter = why == null ? null : people.starter(run);
        if (why != null) {
            if (starter != null && people.isAdministrator(starter)) {
                request.freezeOverride(why);
            } else {
                request.freezeOverrideRefused(PARAMETER + " is ignored: "
                        + (starter == null
                                ? "the build was not started by a user"
                                : starter + " is not an administrator")
                        + " (only Overall/Administer may override a freeze)");
            }
        }
        Map<String, Object> settings = PipelineSettings.resolve(request);
        Map<String, Object> freeze = (Map<String, Object>) settings.get("freeze");
        if (freeze != null) {
            String target = (String) freeze.get("environment");
            String id = "freeze-" + target;
            if (!GuliAudit.of(run).has(id, GuliAudit.FREEZE_OVERRIDE)) {
                AuditEntry entry = new AuditEntry(
                        starter,
                        Instant.now(),
                        GuliAudit.FREEZE_OVERRIDE,
                        why + " (window '" + freeze.get("window") + "' until " + freeze.get("until") + ")",
                        build,
                        (String) settings.get("projectName"),
                        Blank.toNull((String) settings.get("projectVersion")),
                        null,
                        target);
                GuliAudit.record(run, auditDir, id, entry, Set.of());
                log.println(freeze.get("message"));
            }
        }
        return settings;
    }
}
