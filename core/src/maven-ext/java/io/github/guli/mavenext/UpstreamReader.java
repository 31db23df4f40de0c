package io.github.guli.mavenext;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.inject.Named;
import javax.inject.Singleton;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.repository.WorkspaceReader;
import org.eclipse.aether.repository.WorkspaceRepository;

/**
 * A Maven core extension (given with {@code -Dmaven.ext.class.path}): Maven asks the workspace reader named "ide"
 * for an artifact before the local repository. This one answers with the files an index lists
 * ({@code -Dguli.upstream=index.properties}: {@code groupId:artifactId:extension:classifier:version=file}), so that
 * {@code mvn -pl service} resolves the unchanged modules it is built from to their jars kept from an earlier build,
 * without rebuilding them and without installing them in the local repository. Compiled for Java 8: it runs in
 * Maven's JVM, whatever Java that is.
 */
@Named("ide")
@Singleton
public class UpstreamReader implements WorkspaceReader {
    private final WorkspaceRepository repository = new WorkspaceRepository("guli-upstream");
    private final Map<String, File> files = new HashMap<>();

    public UpstreamReader() throws IOException {
        String index = System.getProperty("guli.upstream");
        if (index == null) {
            return;
        }
        Properties p = new Properties();
        try (InputStream in = new FileInputStream(index)) {
            p.load(in);
        }
        for (String k : p.stringPropertyNames()) {
            files.put(k, new File(p.getProperty(k)));
        }
    }

    private static String key(Artifact a) {
        return a.getGroupId() + ":" + a.getArtifactId() + ":" + a.getExtension() + ":" + a.getClassifier() + ":"
                + a.getBaseVersion();
    }

    @Override
    public WorkspaceRepository getRepository() {
        return repository;
    }

    @Override
    public File findArtifact(Artifact artifact) {
        return files.get(key(artifact));
    }

    @Override
    public List<String> findVersions(Artifact artifact) {
        return files.containsKey(key(artifact))
                ? Collections.singletonList(artifact.getBaseVersion())
                : Collections.<String>emptyList();
    }
}
