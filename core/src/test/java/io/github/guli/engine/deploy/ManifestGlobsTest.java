package io.github.guli.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestGlobsTest {
    @TempDir
    Path ws;

    @BeforeEach
    void files() throws Exception {
        for (String f : List.of(
                "gulimall-auth-server/deploy/deploy.yaml",
                "gulimall-auth-server/deploy/svc.yml",
                "gulimall-auth-server/deploy/extra/hpa.yaml",
                "gulimall-auth-server/deploy/deploy.yaml~",
                "gulimall-auth-server/src/main/resources/application.yml",
                "gulimall-gateway/deploy/deploy.yaml",
                "k8s/base.json",
                ".git/deploy/x.yaml")) {
            Files.createDirectories(ws.resolve(f).getParent());
            Files.writeString(ws.resolve(f), "x");
        }
    }

    @Test
    void doubleStarTakesEveryDepthAndEditorLeftoversAreLeftOut() {
        assertThat(ManifestGlobs.resolve(ws, "gulimall-auth-server/deploy/**"))
                .containsExactly(Map.entry(
                        "gulimall-auth-server/deploy/**",
                        List.of(
                                "gulimall-auth-server/deploy/deploy.yaml",
                                "gulimall-auth-server/deploy/extra/hpa.yaml",
                                "gulimall-auth-server/deploy/svc.yml")));
    }

    @Test
    void starStaysInOneDirectoryAndCommasJoinPatterns() {
        Map<String, List<String>> m = ManifestGlobs.resolve(ws, " gulimall-*/deploy/*.yaml , k8s/base.json,nothing/**");
        assertThat(m.get("gulimall-*/deploy/*.yaml"))
                .containsExactly("gulimall-auth-server/deploy/deploy.yaml", "gulimall-gateway/deploy/deploy.yaml");
        assertThat(m.get("k8s/base.json")).containsExactly("k8s/base.json");
        assertThat(m.get("nothing/**")).isEmpty();
    }

    @Test
    void aLeadingDoubleStarSearchesTheWholeWorkspaceButNotGit() {
        assertThat(ManifestGlobs.resolve(ws, "**/deploy/deploy.yaml")
                        .values()
                        .iterator()
                        .next())
                .containsExactly("gulimall-auth-server/deploy/deploy.yaml", "gulimall-gateway/deploy/deploy.yaml");
    }

    @Test
    void aDirectoryOrATrailingSlashMeansEverythingBelow() {
        assertThat(ManifestGlobs.resolve(ws, "gulimall-gateway/deploy")
                        .values()
                        .iterator()
                        .next())
                .containsExactly("gulimall-gateway/deploy/deploy.yaml");
        assertThat(ManifestGlobs.resolve(ws, "./gulimall-gateway/")
                        .values()
                        .iterator()
                        .next())
                .containsExactly("gulimall-gateway/deploy/deploy.yaml");
        assertThat(ManifestGlobs.resolve(ws, "gulimall-auth-server/deploy/?vc.yml")
                        .values()
                        .iterator()
                        .next())
                .containsExactly("gulimall-auth-server/deploy/svc.yml");
    }

    @Test
    void patternsOutsideTheWorkspaceAreRefused() {
        assertThatThrownBy(() -> ManifestGlobs.resolve(ws, "/etc/**")).hasMessageContaining("is absolute");
        assertThatThrownBy(() -> ManifestGlobs.resolve(ws, "../other/**")).hasMessageContaining("leaves the workspace");
        assertThatThrownBy(() -> ManifestGlobs.resolve(ws, " , ")).hasMessageContaining("holds no pattern");
    }
}
