package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.java.sezpoz.Index;
import net.java.sezpoz.IndexItem;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opens the built .hpi and checks it is laid out and described as maven-hpi-plugin would make it. */
class HpiArchiveIT {
    /** The plugin versions a Jenkins 2.516.2 installation was tested with: the .hpi may depend on these at most. */
    static final Map<String, String> REFERENCE = Map.of(
            "workflow-step-api",
            "706.v518c5dcb_24c0",
            "workflow-api",
            "1384.vdc05a_48f535f",
            "credentials",
            "1447.v4cb_b_539b_5321",
            "plain-credentials",
            "199.v9f8e1f741799",
            "ssh-credentials",
            "361.vb_f6760818e8c",
            "structs",
            "353.v261ea_40a_80fb_",
            "workflow-cps",
            "4183.v94b_6fd39da_c1",
            "bouncycastle-api",
            "2.30.1.81-264.v95c79c0e772c");

    static final List<String> JENKINS_PACKAGES = List.of(
            "hudson/", "jenkins/", "org/jenkinsci/", "org/kohsuke/stapler/", "com/cloudbees/", "org/jvnet/hudson/");

    static Path hpi;
    static Attributes main;

    @BeforeAll
    static void open() throws IOException {
        hpi = Path.of(System.getProperty("guli.hpi", "target/guli-pipeline.hpi"));
        assertThat(hpi).as("the .hpi built by mvn package").exists();
        try (ZipFile z = new ZipFile(hpi.toFile())) {
            main = new Manifest(z.getInputStream(z.getEntry("META-INF/MANIFEST.MF"))).getMainAttributes();
        }
    }

    @Test
    void manifestDescribesThePlugin() {
        assertThat(main.getValue("Short-Name")).isEqualTo("guli-pipeline");
        assertThat(main.getValue("Long-Name")).isEqualTo("GuliMall Pipeline");
        assertThat(main.getValue("Group-Id")).isEqualTo("io.github.guli");
        assertThat(main.getValue("Artifact-Id")).isEqualTo("guli-pipeline");
        assertThat(main.getValue("Plugin-Version")).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(main.getValue("Jenkins-Version")).isEqualTo("2.516.2");
        assertThat(main.getValue("Hudson-Version")).isEqualTo("2.516.2");
        assertThat(main.getValue("Minimum-Java-Version")).isEqualTo("17");
    }

    @Test
    void dependenciesAreWellFormedAndNoNewerThanTheReferenceJenkins() {
        Map<String, String> deps = new LinkedHashMap<>();
        for (String d : main.getValue("Plugin-Dependencies").split(",")) {
            assertThat(d).matches("[a-z0-9-]+:[A-Za-z0-9._-]+(;resolution:=optional)?");
            String[] nv = d.replace(";resolution:=optional", "").split(":");
            deps.put(nv[0], nv[1]);
        }
        // every plugin whose types the plugin's classes use
        assertThat(deps).containsKeys("workflow-step-api", "credentials");
        deps.forEach((name, version) -> {
            assertThat(REFERENCE).as("reference version of " + name).containsKey(name);
            assertThat(compareVersions(version, REFERENCE.get(name)))
                    .as(name + " " + version)
                    .isLessThanOrEqualTo(0);
        });
    }

    @Test
    void classesLiveInWebInfLibWithTheSameManifestAndNoJenkinsClass() throws IOException {
        List<String> libs = new ArrayList<>();
        try (ZipFile z = new ZipFile(hpi.toFile())) {
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                String n = e.nextElement().getName();
                assertThat(n).as("top-level classes").doesNotEndWith(".class");
                if (n.startsWith("WEB-INF/lib/") && n.endsWith(".jar")) {
                    libs.add(n.substring("WEB-INF/lib/".length()));
                    try (JarInputStream jar = new JarInputStream(z.getInputStream(z.getEntry(n)))) {
                        for (ZipEntry c; (c = jar.getNextEntry()) != null; ) {
                            String name = c.getName();
                            assertThat(JENKINS_PACKAGES)
                                    .as(n + " holds " + name)
                                    .noneMatch(p -> name.endsWith(".class") && name.startsWith(p));
                        }
                    }
                }
            }
            assertThat(libs)
                    .contains("guli-pipeline.jar")
                    .anyMatch(l -> l.startsWith("guli-core-"))
                    .anyMatch(l -> l.startsWith("org.eclipse.jgit-"))
                    // Jenkins core has these: a bundled copy would shadow nothing and only add weight
                    .noneMatch(l -> l.startsWith("slf4j-api")
                            || l.startsWith("commons-codec")
                            || l.startsWith("jcl-over-slf4j"))
                    // the bouncycastle-api plugin provides it
                    .noneMatch(l -> l.startsWith("bcprov") || l.startsWith("bcpkix") || l.startsWith("bcutil"));
            try (JarInputStream inner =
                    new JarInputStream(z.getInputStream(z.getEntry("WEB-INF/lib/guli-pipeline.jar")))) {
                assertThat(inner.getManifest().getMainAttributes().getValue("Short-Name"))
                        .isEqualTo("guli-pipeline");
                assertThat(inner.getManifest().getMainAttributes().getValue("Plugin-Dependencies"))
                        .isEqualTo(main.getValue("Plugin-Dependencies"));
                List<String> entries = new ArrayList<>();
                for (ZipEntry c; (c = inner.getNextEntry()) != null; ) {
                    entries.add(c.getName());
                }
                assertThat(entries).contains("index.jelly", "META-INF/annotations/hudson.Extension");
            }
        }
    }

    @Test
    void everyStepIsInTheSezPozIndexUnderItsFunctionName(@TempDir Path tmp) throws Exception {
        Path jar = tmp.resolve("guli-pipeline.jar");
        try (ZipFile z = new ZipFile(hpi.toFile());
                InputStream in = z.getInputStream(z.getEntry("WEB-INF/lib/guli-pipeline.jar"))) {
            Files.copy(in, jar);
        }
        TreeSet<String> functions = new TreeSet<>();
        TreeSet<String> extensions = new TreeSet<>();
        // parent-last for our jar only: the index must come from the archive, not from target/classes
        try (URLClassLoader cl =
                new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader()) {
                    @Override
                    public Enumeration<URL> getResources(String name) throws IOException {
                        return findResources(name);
                    }
                }) {
            for (IndexItem<hudson.Extension, Object> item : Index.load(hudson.Extension.class, Object.class, cl)) {
                extensions.add(item.className());
                // Step descriptors only: others (the global configuration) load their settings when made
                if (StepDescriptor.class.isAssignableFrom((Class<?>) item.element())) {
                    functions.add(((StepDescriptor) item.instance()).getFunctionName());
                }
            }
        }
        assertThat(functions)
                .containsExactly(
                        "guliApproval",
                        "guliBuild",
                        "guliDeployK8s",
                        "guliImage",
                        "guliLock",
                        "guliNotify",
                        "guliPromote",
                        "guliPromotionPreview",
                        "guliProvision",
                        "guliQualityGate",
                        "guliRelease",
                        "guliSettings");
        assertThat(extensions)
                .contains(
                        "io.github.guli.jenkins.GuliConfiguration",
                        "io.github.guli.jenkins.GuliLocks",
                        "io.github.guli.jenkins.GuliEnvironment$DescriptorImpl",
                        "io.github.guli.jenkins.GuliNotifier$DescriptorImpl");
        // the plugin manager shows index.jelly as the plugin's description: it names every step there is
        try (ZipFile z = new ZipFile(jar.toFile())) {
            String index =
                    new String(z.getInputStream(z.getEntry("index.jelly")).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(index).contains(functions);
        }
    }

    /** Jenkins' VersionNumber order, enough for plugin versions: numbers by value, other parts by text. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("[._-]");
        String[] y = b.split("[._-]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "0";
            String q = i < y.length ? y[i] : "0";
            int c = p.matches("\\d+") && q.matches("\\d+")
                    ? Long.compare(Long.parseLong(p), Long.parseLong(q))
                    : p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
