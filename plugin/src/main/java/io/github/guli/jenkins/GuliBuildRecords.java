package io.github.guli.jenkins;

import hudson.model.Run;
import io.github.guli.engine.build.BuildRequest;

/**
 * What guliBuild keeps on the agent between builds of a job and branch (the upstream jars, the scanner's cache,
 * Maven's class-data archive) is checked against records kept with the builds on the controller, where nothing a
 * build runs on the agent can write them: read into the request before the build, written from what it returns.
 */
final class GuliBuildRecords {
    private GuliBuildRecords() {}

    static void read(Run<?, ?> run, String key, BuildRequest request) {
        request.upstreamDigests(GuliUpstreamDigests.recorded(run, key))
                .classArchiveDigests(GuliUpstreamDigests.recorded(run, key + " jvm"));
        if (request.sonar() != null) {
            request.sonar().cacheDigests(GuliUpstreamDigests.recorded(run, key + " sonar"));
        }
    }

    static void write(Run<?, ?> run, String key, GuliBuildStep.Built built) {
        GuliUpstreamDigests.record(run, key, built.upstreamDigests());
        if (built.scannerDigests() != null) {
            GuliUpstreamDigests.record(run, key + " sonar", built.scannerDigests(), GuliUpstreamDigests.SCANNER_CACHE);
        }
        if (built.archiveDigests() != null) {
            GuliUpstreamDigests.record(run, key + " jvm", built.archiveDigests(), GuliUpstreamDigests.CLASS_ARCHIVE);
        }
    }
}
