package io.github.guli.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.guli.testsupport.GuliMall;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The services a range of commits changed, on real git repositories holding the GuliMall fixture: gulimall-common,
 * and the services gulimall-product, gulimall-order and gulimall-gateway built from it.
 */
class ChangedServicesTest {
    private static final String PRODUCT_SERVICE =
            "gulimall-product/src/main/java/com/atguigu/gulimall/product/service/CategoryService.java";
    private static final String ORDER_SERVICE =
            "gulimall-order/src/main/java/com/atguigu/gulimall/order/service/OrderService.java";
    private static final String COMMON_R = "gulimall-common/src/main/java/com/atguigu/common/utils/R.java";

    @TempDir
    Path ws;

    Git git;
    String first;

    @BeforeEach
    void repository() throws Exception {
        GuliMall.copy(ws);
        git = Git.init().setInitialBranch("master").setDirectory(ws.toFile()).call();
        first = commit("the fixture");
    }

    private String commit(String message) throws Exception {
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call(); // deletions too
        return git.commit()
                .setMessage(message)
                .setAuthor("dev", "dev@example.com")
                .setCommitter("dev", "dev@example.com")
                .call()
                .name();
    }

    private ChangedServices.Result since(String previous) {
        return ChangedServices.compute(new ChangedServices.Request(ws.toFile(), previous, null));
    }

    @Test
    void aChangeInCommonPicksEveryServiceBuiltFromIt() throws Exception {
        GuliMall.edit(ws, COMMON_R, "class R", "class R ");
        commit("common: javadoc");

        ChangedServices.Result r = since(first);

        assertThat(r.services()).containsExactly("gulimall-product", "gulimall-order", "gulimall-gateway");
        assertThat(r.picked().get(0).reason())
                .isEqualTo("it is built from gulimall-common, which changed: " + COMMON_R);
        assertThat(r.base()).isEqualTo(first);
        assertThat(r.note())
                .isEqualTo("1 file(s) changed since the last successful build's commit " + first.substring(0, 12)
                        + "; 3 of 3 services changed");
    }

    @Test
    void aChangeInOneServicePicksThatServiceOnly() throws Exception {
        GuliMall.edit(ws, ORDER_SERVICE, "class OrderService", "class OrderService ");
        GuliMall.write(ws, "gulimall-order/src/main/resources/application.yml", "server:\n  port: 9000\n");
        commit("order: port");

        ChangedServices.Result r = since(first);

        assertThat(r.services()).containsExactly("gulimall-order");
        assertThat(r.picked().get(0).reason())
                .isEqualTo(
                        "gulimall-order changed: "
                                + "gulimall-order/src/main/java/com/atguigu/gulimall/order/service/OrderService.java and 1 more file(s)");
    }

    @Test
    void aChangeOutsideEveryModulePicksNothing() throws Exception {
        GuliMall.write(ws, "README.md", "GuliMall\n");
        commit("readme");

        ChangedServices.Result r = since(first);

        assertThat(r.picked()).isEmpty();
        assertThat(r.note()).endsWith("; 0 of 3 services changed");
    }

    @Test
    void aChangeToTheRootPomPicksEveryService() throws Exception {
        GuliMall.edit(ws, "pom.xml", "<junit.version>5.14.1</junit.version>", "<junit.version>5.14.0</junit.version>");
        commit("junit 5.14.0");

        ChangedServices.Result r = since(first);

        assertThat(r.services()).containsExactly("gulimall-product", "gulimall-order", "gulimall-gateway");
        assertThat(r.note())
                .isEqualTo("pom.xml changed since the last successful build's commit " + first.substring(0, 12)
                        + ": it builds every module, so every service is built");
    }

    @Test
    void aMavenWrapperChangePicksEveryService() throws Exception {
        GuliMall.write(ws, ".mvn/jvm.config", "-Xmx1g\n");
        commit("maven: heap");

        assertThat(since(first).services()).containsExactly("gulimall-product", "gulimall-order", "gulimall-gateway");
    }

    @Test
    void aClassMovedFromOneServiceToAnotherPicksBoth() throws Exception {
        Path from = ws.resolve(PRODUCT_SERVICE);
        Path to = ws.resolve("gulimall-order/src/main/java/com/atguigu/gulimall/product/service/CategoryService.java");
        Files.createDirectories(to.getParent());
        Files.move(from, to);
        commit("move CategoryService to order");

        ChangedServices.Result r = since(first);

        assertThat(r.services()).containsExactly("gulimall-product", "gulimall-order");
        assertThat(r.picked().get(0).reason()).isEqualTo("gulimall-product changed: " + PRODUCT_SERVICE);
    }

    @Test
    void aRenameInsideOneServicePicksIt() throws Exception {
        Path from = ws.resolve(ORDER_SERVICE);
        Files.move(from, from.resolveSibling("OrderService.java.txt"));
        commit("rename");

        ChangedServices.Result r = since(first);

        assertThat(r.services()).containsExactly("gulimall-order");
        assertThat(r.note()).startsWith("2 file(s) changed"); // the old and the new name
    }

    @Test
    void aDeletedModuleChangesTheRootPomSoEveryRemainingServiceIsPicked() throws Exception {
        GuliMall.edit(ws, "pom.xml", "<module>gulimall-gateway</module>", "");
        try (Stream<Path> files = Files.walk(ws.resolve("gulimall-gateway"))) {
            files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
        commit("no gateway any more");

        ChangedServices.Result r = since(first);

        assertThat(r.services()).containsExactly("gulimall-product", "gulimall-order");
        assertThat(r.note()).startsWith("pom.xml changed since");
    }

    @Test
    void aServiceThatNowDependsOnAnotherIsPickedWhenThatOneChanges() throws Exception {
        GuliMall.edit(
                ws,
                "gulimall-gateway/pom.xml",
                "<dependencies>",
                "<dependencies>\n    <dependency>\n"
                        + "      <groupId>${project.groupId}</groupId><artifactId>gulimall-order</artifactId>\n"
                        + "      <version>${project.version}</version>\n    </dependency>");
        String before = commit("gateway uses order");
        GuliMall.edit(ws, ORDER_SERVICE, "class OrderService", "class OrderService ");
        commit("order");

        ChangedServices.Result r = since(before);

        // order is now a library of the gateway: the gateway is the service to build
        assertThat(r.services()).containsExactly("gulimall-gateway");
        assertThat(r.picked().get(0).reason())
                .isEqualTo("it is built from gulimall-order, which changed: " + ORDER_SERVICE);
        assertThat(r.note()).endsWith("; 1 of 2 services changed");
    }

    @Test
    void theFirstBuildOfAJobPicksEveryService() {
        ChangedServices.Result r = since(null);

        assertThat(r.services()).containsExactly("gulimall-product", "gulimall-order", "gulimall-gateway");
        assertThat(r.base()).isNull();
        assertThat(r.note()).startsWith("no earlier successful build of this job to compare with");
    }

    @Test
    void aPreviousCommitThisCloneDoesNotHavePicksEveryService() {
        ChangedServices.Result r = since("0123456789abcdef0123456789abcdef01234567");

        assertThat(r.services()).hasSize(3);
        assertThat(r.note())
                .isEqualTo("the commit 0123456789ab is not in this clone (a shallow clone, or history "
                        + "rewritten since): every service is built");
    }

    @Test
    void aPullRequestIsComparedWithTheMergeBaseOfItsTarget() throws Exception {
        git.branchCreate().setName("feature").call();
        GuliMall.edit(ws, COMMON_R, "class R", "class R  ");
        commit("master moves on: common");
        git.checkout().setName("feature").call();
        GuliMall.edit(ws, PRODUCT_SERVICE, "class CategoryService", "class CategoryService ");
        commit("feature: product");

        ChangedServices.Result r = ChangedServices.compute(new ChangedServices.Request(ws.toFile(), null, "master"));

        // master's change to common is not the pull request's
        assertThat(r.services()).containsExactly("gulimall-product");
        assertThat(r.base()).isEqualTo(first);
        assertThat(r.note()).contains("since the merge base with master, " + first.substring(0, 12));
    }
}
