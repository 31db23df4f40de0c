package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import net.java.sezpoz.Index;
import net.java.sezpoz.IndexItem;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.verb.POST;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Reads the plugin as packaged in the .hpi: its Jelly views, help files and form methods, the way an admin's
 * browser and a security review would meet them.
 */
class PluginViewsIT {
    private static final Pattern FIELD = Pattern.compile("field=\"([^\"]+)\"");
    private static final Set<String> PERMISSION_CHECKS =
            Set.of("hasPermission", "checkPermission", "checkAnyPermission");
    static final Map<String, byte[]> entries = new LinkedHashMap<>();
    static URLClassLoader loader;

    @BeforeAll
    static void open(@TempDir Path tmp) throws IOException {
        Path jar = tmp.resolve("guli-pipeline.jar");
        try (ZipFile hpi = new ZipFile(System.getProperty("guli.hpi", "target/guli-pipeline.hpi"));
                InputStream in = hpi.getInputStream(hpi.getEntry("WEB-INF/lib/guli-pipeline.jar"))) {
            Files.copy(in, jar);
        }
        try (JarFile j = new JarFile(jar.toFile())) {
            for (JarEntry e : java.util.Collections.list(j.entries())) {
                if (!e.isDirectory()) {
                    entries.put(e.getName(), j.getInputStream(e).readAllBytes());
                }
            }
        }
        loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, PluginViewsIT.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                // the packaged classes, not target/classes, are under test
                if (name.startsWith("io.github.guli.jenkins.")) {
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> c = findLoadedClass(name);
                        return c != null ? c : findClass(name);
                    }
                }
                return super.loadClass(name, resolve);
            }
        };
    }

    private static List<String> names(String regex) {
        return entries.keySet().stream().filter(n -> n.matches(regex)).sorted().toList();
    }

    @Test
    void everyJellyViewParsesAndEscapesByDefault() throws Exception {
        List<String> views = names(".*\\.jelly");
        assertThat(views).contains("index.jelly", "io/github/guli/jenkins/GuliConfiguration/config.jelly");
        for (String v : views) {
            String text = new String(entries.get(v), StandardCharsets.UTF_8);
            assertThat(text).as(v).startsWith("<?jelly escape-by-default='true'?>");
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.newDocumentBuilder().parse(new ByteArrayInputStream(entries.get(v))); // throws on malformed XML
        }
    }

    @Test
    void everyLinkMadeFromBuildDataOpensWithoutOpenerOrReferrer() throws Exception {
        int links = 0;
        for (String v : names(".*\\.jelly")) {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            org.w3c.dom.NodeList anchors = f.newDocumentBuilder()
                    .parse(new ByteArrayInputStream(entries.get(v)))
                    .getElementsByTagName("a");
            for (int i = 0; i < anchors.getLength(); i++) {
                org.w3c.dom.Element a = (org.w3c.dom.Element) anchors.item(i);
                if (a.getAttribute("href").contains("${")) {
                    links++;
                    assertThat(a.getAttribute("href")).as(v).matches("\\$\\{[A-Za-z.]+\\.url}");
                    assertThat(a.getAttribute("rel").split(" "))
                            .as(v + ": rel of " + a.getAttribute("href"))
                            .contains("noopener", "noreferrer");
                }
            }
        }
        assertThat(links).as("the build page's summary links").isPositive();
        // the href is the getter that lets only absolute http(s) URLs through
        Class<?> line = loader.loadClass("io.github.guli.jenkins.GuliSummary$Line");
        java.lang.reflect.Constructor<?> c = line.getDeclaredConstructor(String.class, String.class, String.class);
        c.setAccessible(true);
        Object hostile = c.newInstance("guliBuild", "analysis", "javascript:alert(document.domain)");
        assertThat(line.getMethod("getUrl").invoke(hostile)).isNull();
    }

    @Test
    void everyFieldAndHelpFileNamesAPropertyWithGetterAndSetter() throws Exception {
        int checked = 0;
        for (String view : names("io/github/guli/jenkins/[A-Za-z0-9]+/(config\\.jelly|help-[A-Za-z0-9]+\\.html)")) {
            String dir = view.substring(0, view.lastIndexOf('/'));
            Class<?> owner = loader.loadClass(dir.replace('/', '.'));
            List<String> fields = new ArrayList<>();
            if (view.endsWith(".jelly")) {
                Matcher m = FIELD.matcher(new String(entries.get(view), StandardCharsets.UTF_8));
                while (m.find()) {
                    fields.add(m.group(1));
                }
            } else {
                fields.add(view.substring(view.lastIndexOf("/help-") + 6, view.length() - 5));
            }
            for (String field : fields) {
                assertThat(hasGetter(owner, field))
                        .as(view + ": getter for " + field)
                        .isTrue();
                assertThat(hasSetter(owner, field))
                        .as(view + ": @DataBoundSetter or constructor parameter " + field)
                        .isTrue();
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(20);
    }

    @Test
    void everyFieldOfAFormHasHelp() {
        List<String> missing = new ArrayList<>();
        for (String view : names("io/github/guli/jenkins/[A-Za-z0-9]+/config\\.jelly")) {
            String dir = view.substring(0, view.lastIndexOf('/'));
            Matcher m = FIELD.matcher(new String(entries.get(view), StandardCharsets.UTF_8));
            while (m.find()) {
                if (!entries.containsKey(dir + "/help-" + m.group(1) + ".html")) {
                    missing.add(dir + "/help-" + m.group(1) + ".html");
                }
            }
        }
        assertThat(missing).as("help files for form fields").isEmpty();
    }

    @Test
    void everyCredentialsFieldIsADropdownFilledByItsDescriptor() throws Exception {
        Pattern entry = Pattern.compile("field=\"((?:\\w*CredentialsId|credentialsId|kubeconfigId))\">\\s*<([\\w:]+)");
        int checked = 0;
        for (String view : names("io/github/guli/jenkins/[A-Za-z0-9]+/config\\.jelly")) {
            String owner = view.substring(0, view.lastIndexOf('/')).replace('/', '.');
            Class<?> c = loader.loadClass(owner);
            Class<?> descriptor = Arrays.stream(c.getClasses())
                    .filter(k -> k.getSimpleName().equals("DescriptorImpl"))
                    .findFirst()
                    .orElse(c);
            Matcher m = entry.matcher(new String(entries.get(view), StandardCharsets.UTF_8));
            while (m.find()) {
                String field = m.group(1);
                assertThat(m.group(2))
                        .as(view + ": " + field + " is a credentials dropdown")
                        .isEqualTo("c:select");
                String fill = "doFill" + Character.toUpperCase(field.charAt(0)) + field.substring(1) + "Items";
                assertThat(Arrays.stream(descriptor.getMethods()).map(Method::getName))
                        .as(descriptor + "." + fill)
                        .contains(fill);
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(12);
    }

    private static boolean hasGetter(Class<?> c, String field) {
        String cap = Character.toUpperCase(field.charAt(0)) + field.substring(1);
        return Arrays.stream(c.getMethods())
                .anyMatch(m -> m.getParameterCount() == 0
                        && (m.getName().equals("get" + cap) || m.getName().equals("is" + cap)));
    }

    private static boolean hasSetter(Class<?> c, String field) {
        String setter = "set" + Character.toUpperCase(field.charAt(0)) + field.substring(1);
        boolean bySetter = Arrays.stream(c.getMethods())
                .anyMatch(m -> m.getName().equals(setter)
                        && m.getParameterCount() == 1
                        && m.isAnnotationPresent(DataBoundSetter.class));
        boolean byConstructor = Arrays.stream(c.getConstructors())
                .filter(k -> k.isAnnotationPresent(DataBoundConstructor.class))
                .flatMap(k -> Arrays.stream(k.getParameters()))
                .anyMatch(p -> p.getName().equals(field));
        return bySetter || byConstructor;
    }

    @Test
    void everyFormMethodIsPostAndChecksPermissionFirst() throws Exception {
        Map<String, Set<String>> calls = callGraph();
        List<String> formMethods = new ArrayList<>();
        for (String cls : names("io/github/guli/jenkins/.*\\.class")) {
            Class<?> c = loader.loadClass(cls.substring(0, cls.length() - 6).replace('/', '.'));
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().startsWith("doFill") || m.getName().startsWith("doCheck")) {
                    String id = c.getName().replace('.', '/') + "." + m.getName();
                    formMethods.add(id);
                    assertThat(m.isAnnotationPresent(POST.class))
                            .as(id + " is @POST")
                            .isTrue();
                    assertThat(reachesPermissionCheck(id, calls, new HashSet<>()))
                            .as(id + " checks a permission")
                            .isTrue();
                }
            }
        }
        assertThat(formMethods)
                .contains(
                        "io/github/guli/jenkins/GuliConfiguration.doFillRegistryCredentialsIdItems",
                        "io/github/guli/jenkins/GuliReleaseStep$DescriptorImpl.doCheckProjectVersion");
    }

    /** owner.method -> the methods it calls (owner.method), over the plugin's packaged classes; lambdas included. */
    private static Map<String, Set<String>> callGraph() {
        Map<String, Set<String>> graph = new LinkedHashMap<>();
        for (String cls : names("io/github/guli/jenkins/.*\\.class")) {
            new ClassReader(entries.get(cls))
                    .accept(
                            new ClassVisitor(Opcodes.ASM9) {
                                String owner;

                                @Override
                                public void visit(int v, int a, String name, String sig, String sup, String[] itf) {
                                    owner = name;
                                }

                                @Override
                                public MethodVisitor visitMethod(
                                        int a, String name, String desc, String sig, String[] ex) {
                                    Set<String> out = graph.computeIfAbsent(owner + "." + name, k -> new HashSet<>());
                                    return new MethodVisitor(Opcodes.ASM9) {
                                        @Override
                                        public void visitMethodInsn(int op, String o, String n, String d, boolean itf) {
                                            out.add(o + "." + n);
                                        }

                                        @Override
                                        public void visitInvokeDynamicInsn(
                                                String n, String d, org.objectweb.asm.Handle bsm, Object... args) {
                                            for (Object arg : args) {
                                                if (arg instanceof org.objectweb.asm.Handle h) {
                                                    out.add(h.getOwner() + "." + h.getName());
                                                }
                                            }
                                        }
                                    };
                                }
                            },
                            0);
        }
        return graph;
    }

    private static boolean reachesPermissionCheck(String method, Map<String, Set<String>> calls, Set<String> seen) {
        if (!seen.add(method)) {
            return false;
        }
        for (String callee : calls.getOrDefault(method, Set.of())) {
            if (PERMISSION_CHECKS.contains(callee.substring(callee.lastIndexOf('.') + 1))
                    || reachesPermissionCheck(callee, calls, seen)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void everyStepHasHelpAndAForm() throws Exception {
        List<String> steps = new ArrayList<>();
        for (IndexItem<hudson.Extension, Object> item : Index.load(hudson.Extension.class, Object.class, loader)) {
            Class<?> descriptor = (Class<?>) item.element();
            if (StepDescriptor.class.isAssignableFrom(descriptor)) {
                String step = descriptor.getEnclosingClass().getName().replace('.', '/');
                steps.add(step);
                assertThat(entries.keySet()).as(step + "/help.html").contains(step + "/help.html");
                assertThat(entries.keySet()).as(step + "/config.jelly").contains(step + "/config.jelly");
            }
        }
        assertThat(steps).hasSizeGreaterThanOrEqualTo(5);
    }
}
