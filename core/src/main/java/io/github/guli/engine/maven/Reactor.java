package io.github.guli.engine.maven;

import static io.github.guli.engine.maven.Pom.child;
import static io.github.guli.engine.maven.Pom.text;

import io.github.guli.engine.GuliException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The modules of a multi-module Maven repository, read from the {@code <modules>} of its pom.xml files
 * (recursively, as Maven does; each read with {@link Pom}, a profile's modules not counted) before Maven runs, so
 * that a wrong module name is refused with the list of the right ones instead of Maven's "Could not find the
 * selected project in the reactor".
 */
public final class Reactor {
    /**
     * One module.
     *
     * @param path its directory relative to the root, with '/' (what {@code -pl} is given)
     * @param sonarProjectKey the {@code sonar.projectKey} property of its own pom.xml, if it sets one
     * @param version its {@code <version>}, else its parent's
     * @param packaging its {@code <packaging>}, {@code jar} when not given
     * @param uses the {@code groupId:artifactId} of its parent and of everything it depends on (profiles included,
     *             versions ignored): those that are modules of the reactor are what it is built from
     * @param plugins the {@code groupId:artifactId} of the build plugins its pom declares or manages (profiles
     *                included)
     */
    public record Module(
            String path,
            String groupId,
            String artifactId,
            String sonarProjectKey,
            String version,
            String packaging,
            Set<String> uses,
            Set<String> plugins) {
        public String key() {
            return groupId + ":" + artifactId;
        }
    }

    private final File root;
    private final Module rootProject;
    private final List<Module> modules;

    private Reactor(File root, Module rootProject, List<Module> modules) {
        this.root = root;
        this.rootProject = rootProject;
        this.modules = modules;
    }

    /** Reads {@code dir/pom.xml} and the modules it aggregates. */
    public static Reactor read(File dir) {
        File pom = new File(dir, "pom.xml");
        if (!pom.isFile()) {
            throw new GuliException("no pom.xml in " + dir + ": check out the repository first (checkout scm, or give "
                    + "the step a repository URL), or point the build at the directory holding the root pom.xml");
        }
        List<Module> modules = new ArrayList<>();
        Module rootProject = readPom(pom, "", null);
        Set<Path> seen = new HashSet<>();
        seen.add(canonical(pom));
        collect(dir, "", pom, modules, seen);
        return new Reactor(dir, rootProject, List.copyOf(modules));
    }

    private static Path canonical(File pom) {
        try {
            return pom.toPath().toRealPath();
        } catch (IOException e) {
            throw new GuliException("cannot read " + pom + ": " + e.getMessage(), e);
        }
    }

    /** Adds the modules {@code pom} lists, and theirs; {@code seen} holds every pom.xml already in the reactor. */
    private static void collect(File rootDir, String prefix, File pom, List<Module> into, Set<Path> seen) {
        Pom read = Pom.read(pom);
        Element project = read.project();
        String parentGroupId = text(project, "groupId");
        if (parentGroupId == null) {
            Element parent = child(project, "parent");
            parentGroupId = parent == null ? null : text(parent, "groupId");
        }
        for (String rel : read.modules()) {
            String path = normalize(prefix + rel);
            File target = new File(rootDir, path);
            File modulePom = target.isDirectory() ? new File(target, "pom.xml") : target;
            if (!modulePom.isFile()) {
                throw new GuliException("module '" + rel + "' listed in " + pom + " has no " + modulePom
                        + ": fix the <modules> list or add the module");
            }
            if (!seen.add(canonical(modulePom))) {
                // Maven refuses it too; followed, it would never end
                throw new GuliException("module '" + rel + "' listed in " + pom + " is " + modulePom + ", which is "
                        + "already in the reactor: a pom.xml cannot list itself (<module>.</module>), a module that "
                        + "lists it back, or a module twice; fix the <modules> list");
            }
            String modulePath = target.isDirectory() ? path : normalize(path + "/..");
            into.add(readPom(modulePom, modulePath, parentGroupId));
            collect(rootDir, modulePath.isEmpty() ? "" : modulePath + "/", modulePom, into, seen);
        }
    }

    private static Module readPom(File pom, String path, String inheritedGroupId) {
        Element project = Pom.read(pom).project();
        String groupId = text(project, "groupId");
        if (groupId == null) {
            Element parent = child(project, "parent");
            groupId = parent != null ? text(parent, "groupId") : inheritedGroupId;
        }
        String artifactId = text(project, "artifactId");
        if (artifactId == null) {
            throw new GuliException(pom + " has no <artifactId>: it is not a Maven project");
        }
        Set<String> uses = new LinkedHashSet<>();
        Element parent = child(project, "parent");
        if (parent != null) {
            uses.add(text(parent, "groupId") + ":" + text(parent, "artifactId"));
        }
        NodeList deps = project.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            // a dependency's dependencyManagement entry is not a use; those of <dependencies>, of plugins and of
            // profiles are (a profile may be active)
            if (!((Element) d.getParentNode().getParentNode()).getTagName().equals("dependencyManagement")) {
                String g = text(d, "groupId");
                uses.add((g == null || g.startsWith("${project") ? groupId : g) + ":" + text(d, "artifactId"));
            }
        }
        Set<String> plugins = new LinkedHashSet<>();
        NodeList declared = project.getElementsByTagName("plugin");
        for (int i = 0; i < declared.getLength(); i++) {
            Element p = (Element) declared.item(i);
            String g = text(p, "groupId");
            plugins.add((g == null ? "org.apache.maven.plugins" : g) + ":" + text(p, "artifactId"));
        }
        String packaging = text(project, "packaging");
        String version = text(project, "version");
        if (version == null && parent != null) {
            version = text(parent, "version");
        }
        Element properties = child(project, "properties");
        String sonarKey = properties == null ? null : text(properties, "sonar.projectKey");
        if (sonarKey != null && sonarKey.contains("${")) {
            sonarKey = null; // an expression only Maven can evaluate: let the default apply
        }
        return new Module(
                path,
                groupId,
                artifactId,
                sonarKey,
                version,
                packaging == null ? "jar" : packaging,
                Set.copyOf(uses),
                Set.copyOf(plugins));
    }

    private static String normalize(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.replace('\\', '/').split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")
                    && !parts.isEmpty()
                    && !parts.get(parts.size() - 1).equals("..")) {
                parts.remove(parts.size() - 1);
            } else {
                parts.add(p);
            }
        }
        return String.join("/", parts);
    }

    public File root() {
        return root;
    }

    /** The root pom.xml's own project (the aggregator). */
    public Module rootProject() {
        return rootProject;
    }

    public List<Module> modules() {
        return modules;
    }

    /**
     * The module a user means: its path ({@code gulimall-product}, {@code services/gulimall-product}), its artifactId,
     * {@code :artifactId} or {@code groupId:artifactId} (as Maven's {@code -pl} takes them), or the last part of
     * its path when only one module ends so.
     *
     * @throws GuliException listing the modules when none matches
     */
    public Module module(String name) {
        String n = name.trim();
        String asPath = normalize(n);
        Optional<Module> exact = modules.stream()
                .filter(m -> m.path().equals(asPath)
                        || m.artifactId().equals(n)
                        || (":" + m.artifactId()).equals(n)
                        || m.key().equals(n))
                .findFirst();
        if (exact.isPresent()) {
            return exact.get();
        }
        List<Module> byLastPart =
                modules.stream().filter(m -> m.path().endsWith("/" + asPath)).toList();
        if (byLastPart.size() == 1) {
            return byLastPart.get(0);
        }
        if (modules.isEmpty()) {
            throw new GuliException("module '" + n + "' was asked for, but " + new File(root, "pom.xml")
                    + " has no <modules>: it is a single-module project; build it without a module");
        }
        throw new GuliException("no module '" + n + "' in " + new File(root, "pom.xml") + "; its modules are: "
                + modules.stream().map(Module::path).collect(Collectors.joining(", ")));
    }

    /**
     * The modules other than {@code m} and those containing it: their directories are kept out of {@code m}'s
     * SonarQube analysis (Maven analyses every project of the {@code -am} reactor together).
     */
    public List<Module> othersThan(Module m) {
        return modules.stream()
                .filter(o -> !o.equals(m) && !(m.path() + "/").startsWith(o.path() + "/"))
                .toList();
    }

    /** The modules {@code m} is built from: its parent and dependencies in the reactor, theirs, and so on. */
    public List<Module> upstream(Module m) {
        Set<Module> found = new LinkedHashSet<>();
        List<Module> todo = new ArrayList<>(List.of(m));
        while (!todo.isEmpty()) {
            Module next = todo.remove(todo.size() - 1);
            for (Module o : modules) {
                if (next.uses().contains(o.key()) && !o.equals(m) && found.add(o)) {
                    todo.add(o);
                }
            }
        }
        return modules.stream().filter(found::contains).toList();
    }

    /**
     * The services: the modules that make an artifact (not {@code pom} packaging) and that no other module is built
     * from. gulimall-common is a library of the services, not one of them.
     */
    public List<Module> services() {
        return modules.stream()
                .filter(m -> !m.packaging().equals("pom"))
                .filter(m -> modules.stream().noneMatch(o -> o.uses().contains(m.key())))
                .toList();
    }

    /**
     * The services' names, as {@code (changed)} picks them and the parameters form offers them: their artifactIds.
     */
    public List<String> serviceNames() {
        return services().stream().map(Module::artifactId).toList();
    }

    /** The module whose directory holds {@code path} (relative to the root, with '/'), the innermost; or null. */
    public Module moduleOf(String path) {
        Module best = null;
        for (Module m : modules) {
            if ((path + "/").startsWith(m.path() + "/")
                    && (best == null || m.path().length() > best.path().length())) {
                best = m;
            }
        }
        return best;
    }
}
