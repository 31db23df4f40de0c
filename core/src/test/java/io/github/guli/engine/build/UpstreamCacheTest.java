package io.github.guli.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.guli.engine.maven.Reactor;
import io.github.guli.engine.process.LocalCommands;
import io.github.guli.testsupport.GuliMall;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * guliBuild keeps the jars of the modules a service is built from and builds the service alone while they do not
 * change; any change to them builds them again. The real Maven 3.8.7 on copies of the GuliMall fixture.
 */
class UpstreamCacheTest {
    private static final String COMMON_R = "gulimall-common/src/main/java/com/atguigu/common/utils/R.java";
    private static final String PRODUCT_SERVICE =
            "gulimall-product/src/main/java/com/atguigu/gulimall/product/service/CategoryService.java";

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    /** What the caller keeps where no build writes: the digests one build returns and the next is given. */
    private Map<String, String> record = Map.of();

    private BuildResult build(Path ws, String module) {
        return build(ws, module, "gulimall/master");
    }

    private BuildResult build(Path ws, String module, String key) {
        log.clear();
        output.clear();
        MavenBuild build = new MavenBuild(log::add, output::add, new LocalCommands());
        BuildResult r = build.run(
                ws.toFile(),
                new BuildRequest()
                        .module(module)
                        .settings("mvn-settings.xml")
                        .mavenOptions(List.of("-o"))
                        .upstreamCache(true)
                        .upstreamKey(key)
                        .upstreamDigests(record));
        record = build.upstreamDigests();
        return r;
    }

    private static Path workspace(Path tmp) {
        // the cache is the workspace's sibling <name>@tmp, as Jenkins names a workspace's own temporary directory
        return GuliMall.copy(tmp.resolve("ws"));
    }

    @Test
    void anUnchangedCommonIsNotRebuiltAndTheServiceIsBuiltAndTestedAgainstItsKeptJar(@TempDir Path tmp)
            throws Exception {
        Path ws = workspace(tmp);
        BuildResult first = build(ws, "gulimall-product");
        assertThat(first.command()).contains(" -pl gulimall-product -am ");
        assertThat(tmp.resolve("ws@tmp/guli-upstream")).isDirectory();

        // a one-line change to the service; common's build output is gone, so only the kept jar can serve it
        GuliMall.edit(ws, PRODUCT_SERVICE, "class CategoryService", "class CategoryService ");
        deleteTree(ws.resolve("gulimall-common/target"));
        BuildResult second = build(ws, "gulimall-product");

        assertThat(second.command())
                .contains(" -f gulimall-product/pom.xml clean package ")
                .doesNotContain("-am")
                .contains("-Dmaven.ext.class.path=" + tmp.resolve("ws@tmp/guli-upstream"));
        assertThat(log)
                .anyMatch(l -> l.startsWith("gulimall-common unchanged since an earlier build in this "
                                + "workspace (inputs sha256 ")
                        && l.endsWith("): resolved to the jars kept then, not rebuilt"));
        assertThat(ws.resolve("gulimall-common/target"))
                .as("common was not built")
                .doesNotExist();
        assertThat(String.join("\n", output))
                .contains("Tests run: 3, Failures: 0")
                .contains("BUILD SUCCESS");
        assertThat(ws.resolve("gulimall-product/target/gulimall-product-0.0.1-SNAPSHOT.jar"))
                .isRegularFile();
        try (Stream<Path> m2 = Files.walk(Path.of(System.getProperty("user.home"), ".m2/repository/com/atguigu"))) {
            assertThat(m2.filter(f -> f.toString().endsWith(".jar")).toList())
                    .as("nothing installed in the local repository")
                    .isEmpty();
        } catch (java.nio.file.NoSuchFileException none) {
            // nothing of com.atguigu there at all
        }
    }

    @Test
    void aChangeToCommonBuildsItAgainAndTheServiceSeesTheChange(@TempDir Path tmp) {
        Path ws = workspace(tmp);
        build(ws, "gulimall-product");

        // common gains a method the product now calls: against the kept jar the product would not compile
        GuliMall.edit(
                ws,
                COMMON_R,
                "public static R ok() {",
                "public static R okay() {\n        return ok();\n    }\n\n" + "    public static R ok() {");
        GuliMall.edit(ws, PRODUCT_SERVICE, "R.ok()", "R.okay()");
        BuildResult r = build(ws, "gulimall-product");

        assertThat(r.command()).contains(" -pl gulimall-product -am ");
        assertThat(log).noneMatch(l -> l.contains("unchanged since an earlier build"));
        assertThat(String.join("\n", output))
                .contains("Building gulimall-common")
                .contains("BUILD SUCCESS");
    }

    @Test
    void aChangeToTheRootPomBuildsCommonAgain(@TempDir Path tmp) {
        Path ws = workspace(tmp);
        build(ws, "gulimall-order");
        GuliMall.edit(ws, "pom.xml", "<description>", "<description>changed: ");

        assertThat(build(ws, "gulimall-order").command()).contains(" -pl gulimall-order -am ");
        // and kept again: the next build reuses it
        assertThat(build(ws, "gulimall-order").command()).doesNotContain("-am");
    }

    @Test
    void anInstallBuildsCommonToo(@TempDir Path tmp) {
        UpstreamCache cache = new UpstreamCache(tmp.resolve("cache"), null, null);
        Reactor reactor = Reactor.read(GuliMall.source().toFile());
        Reactor.Module product = reactor.module("gulimall-product");

        assertThat(cache.entry(reactor, product, List.of("clean", "install"), List.of()))
                .isNull();
        assertThat(cache.entry(reactor, reactor.module("gulimall-common"), List.of("package"), List.of()))
                .as("nothing upstream")
                .isNull();
        UpstreamCache.Entry e = cache.entry(reactor, product, List.of("clean", "package"), List.of("-o"));
        assertThat(e.modules()).extracting(Reactor.Module::path).containsExactly("gulimall-common");
        assertThat(cache.entry(reactor, product, List.of("clean", "package"), List.of("-o", "-Pprod"))
                        .hash())
                .as("another command, another key")
                .isNotEqualTo(e.hash());
        assertThat(cache.entry(reactor, reactor.module("gulimall-order"), List.of("clean", "package"), List.of("-o"))
                        .hash())
                .as("the same upstream for another service")
                .isEqualTo(e.hash());
    }

    @Test
    void aClassPlantedInTheKeptJarIsDetectedAndCommonIsBuiltAgain(@TempDir Path tmp) throws Exception {
        Path ws = workspace(tmp);
        build(ws, "gulimall-product");
        Path kept = keptJar(tmp);
        // what another build on the agent can do: the folder's name still matches the unchanged sources
        Path planted = tmp.resolve("planted.jar");
        try (JarFile in = new JarFile(kept.toFile());
                JarOutputStream out = new JarOutputStream(Files.newOutputStream(planted))) {
            for (JarEntry e : Collections.list(in.entries())) {
                out.putNextEntry(new JarEntry(e.getName()));
                in.getInputStream(e).transferTo(out);
            }
            out.putNextEntry(new JarEntry("com/atguigu/common/Planted.class"));
            out.write(new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe});
        }
        Files.move(planted, kept, StandardCopyOption.REPLACE_EXISTING);

        BuildResult r = build(ws, "gulimall-product");

        assertThat(r.command()).as("the planted jar is not used").contains(" -pl gulimall-product -am ");
        assertThat(log)
                .anyMatch(l -> l.startsWith("the kept jars of gulimall-common in ")
                        && l.contains(" do not match the SHA-256 recorded when they were kept (")
                        && l.endsWith("; discarded, building them again"));
        assertThat(String.join("\n", output))
                .contains("Building gulimall-common")
                .contains("BUILD SUCCESS");
        try (JarFile again = new JarFile(keptJar(tmp).toFile())) {
            assertThat(again.getEntry("com/atguigu/common/Planted.class")).isNull();
        }
        assertThat(build(ws, "gulimall-product").command())
                .as("kept again with its new digest")
                .doesNotContain("-am");
    }

    @Test
    void keptJarsServeOnlyTheJobAndBranchThatKeptThemAndOnlyWithTheirRecord(@TempDir Path tmp) {
        Path ws = workspace(tmp);
        build(ws, "gulimall-product", "gulimall/feature-x");
        assertThat(build(ws, "gulimall-product", "gulimall/master").command())
                .as("another branch's entry is not this one")
                .contains(" -pl gulimall-product -am ");

        record = Map.of(); // kept, but no record of it reaches the next build
        assertThat(build(ws, "gulimall-product", "gulimall/master").command()).contains(" -am ");
        assertThat(log)
                .anyMatch(l -> l.contains(" have no recorded SHA-256 (not kept by an earlier build of this "
                        + "job and branch); discarded, building them again"));
    }

    @Test
    void everyFileOfAnUpstreamModuleButItsBuildOutputIsInTheHash(@TempDir Path tmp) throws Exception {
        Path ws = workspace(tmp);
        UpstreamCache cache = new UpstreamCache(tmp.resolve("cache"), null, null);
        java.util.function.Supplier<String> hash = () -> {
            Reactor reactor = Reactor.read(ws.toFile());
            return cache.entry(reactor, reactor.module("gulimall-product"), List.of("clean", "package"), List.of())
                    .hash();
        };
        String clean = hash.get();
        // the compiler and the resources take these: the same hash with other content would serve other jars
        for (String f : List.of(
                "gulimall-common/src/main/java/.hidden/com/atguigu/common/Planted.java",
                "gulimall-common/src/main/resources/.hidden/planted.properties",
                "gulimall-common/src/main/resources/target/planted.properties")) {
            Path p = ws.resolve(f);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "planted");
            assertThat(hash.get()).as(f).isNotEqualTo(clean);
            Files.delete(p);
        }
        Files.createDirectories(ws.resolve("gulimall-common/target/classes"));
        Files.writeString(ws.resolve("gulimall-common/target/classes/Left.class"), "output");
        assertThat(hash.get())
                .as("the module's own build output, which clean removes")
                .isEqualTo(clean);
    }

    private static Path keptJar(Path tmp) throws Exception {
        try (Stream<Path> files = Files.walk(tmp.resolve("ws@tmp/guli-upstream"))) {
            return files.filter(f -> f.getFileName().toString().equals("gulimall-common.jar"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    private static void deleteTree(Path p) throws Exception {
        try (Stream<Path> files = Files.walk(p)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
