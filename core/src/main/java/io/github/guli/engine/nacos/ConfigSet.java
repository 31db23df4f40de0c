package io.github.guli.engine.nacos;

import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration a release publishes to one environment's Nacos: the files
 * {@code <module>/config/<environment>/*.properties|*.yaml|*.yml} of the workspace, each published as the dataId of its
 * file name. The files are the branch's, so they are read as hostile: no symbolic link, nothing but plain files with
 * one name each, valid dataIds, UTF-8, not empty, at most {@link #MAX_FILE} bytes each and {@link #MAX_TOTAL} in all.
 */
public final class ConfigSet implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final int MAX_FILE = 256 * 1024;
    public static final int MAX_TOTAL = 2 * 1024 * 1024;
    public static final int MAX_FILES = 100;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    /** One file of the set: the dataId it is published as, and what is published. */
    public record ConfigFile(String dataId, NacosConfig config) implements Serializable {}

    private final String folder;
    private final String group;
    private final List<ConfigFile> files;

    private ConfigSet(String folder, String group, List<ConfigFile> files) {
        this.folder = folder;
        this.group = group;
        this.files = List.copyOf(files);
    }

    /**
     * Reads {@code <module>/config/<environment>/} under {@code workspace}; {@code group} is the admin's (blank:
     * {@code DEFAULT_GROUP}). A folder that does not exist is an empty set: that module has no configuration there.
     */
    public static ConfigSet read(Path workspace, String module, String environment, String group) {
        String g = NacosNames.group(Blank.orDefault(group, NacosNames.DEFAULT_GROUP));
        String env = name("environment", environment);
        List<String> segments = new ArrayList<>();
        for (String s : Blank.orDefault(module, "").split("/", -1)) {
            segments.add(name("module", s));
        }
        segments.add("config");
        segments.add(env);
        String folder = String.join("/", segments);
        Path dir = workspace;
        for (String s : segments) {
            dir = dir.resolve(s);
            if (Files.isSymbolicLink(dir)) {
                throw refused(folder, dir.getFileName() + " is a symbolic link");
            }
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                return new ConfigSet(folder, g, List.of());
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw refused(folder, dir.getFileName() + " is not a folder");
            }
        }
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.sorted().toList();
        } catch (IOException e) {
            throw new GuliException("cannot list " + folder + ": " + e.getMessage());
        }
        if (entries.size() > MAX_FILES) {
            throw refused(folder, "it holds " + entries.size() + " entries, more than " + MAX_FILES);
        }
        List<ConfigFile> files = new ArrayList<>();
        long total = 0;
        for (Path p : entries) {
            ConfigFile f = file(folder, p);
            total += f.config().content().getBytes(StandardCharsets.UTF_8).length;
            if (total > MAX_TOTAL) {
                throw refused(folder, "its files hold more than " + MAX_TOTAL / 1024 + " KiB in all");
            }
            files.add(f);
        }
        return new ConfigSet(folder, g, files);
    }

    private static ConfigFile file(String folder, Path p) {
        String name = p.getFileName().toString();
        String shown = NacosNames.printable(name);
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new GuliException("cannot read " + folder + "/" + shown + ": " + e.getMessage());
        }
        if (a.isSymbolicLink()) {
            throw refused(folder, shown + " is a symbolic link");
        }
        if (!a.isRegularFile()) {
            throw refused(folder, shown + " is not a plain file");
        }
        String type = name.endsWith(".properties")
                ? "properties"
                : name.endsWith(".yaml") || name.endsWith(".yml") ? "yaml" : null;
        if (type == null) {
            throw refused(folder, shown + " is neither .properties, .yaml nor .yml");
        }
        if (!NacosNames.isValid(name, NacosNames.DATA_ID_MAX)) {
            throw refused(
                    folder,
                    "'" + shown + "' is not a valid Nacos dataId (letters, digits, '_', '-', '.' and ':' only, at most "
                            + NacosNames.DATA_ID_MAX + " characters)");
        }
        if (links(p) > 1) {
            throw refused(folder, shown + " has other names (a hard link): it may be a file from elsewhere");
        }
        if (a.size() > MAX_FILE) {
            throw refused(folder, shown + " is " + a.size() / 1024 + " KiB, more than " + MAX_FILE / 1024 + " KiB");
        }
        String content = utf8(folder, shown, p);
        if (content.isBlank()) {
            throw refused(folder, shown + " is empty (Nacos refuses empty content)");
        }
        return new ConfigFile(name, new NacosConfig(content, type));
    }

    private static int links(Path p) {
        try {
            return ((Number) Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue();
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            return 1;
        }
    }

    private static String utf8(String folder, String shown, Path p) {
        byte[] bytes;
        try (InputStream in = Channels.newInputStream(
                Files.newByteChannel(p, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)))) {
            bytes = in.readNBytes(MAX_FILE + 1);
        } catch (IOException e) {
            throw new GuliException("cannot read " + folder + "/" + shown + ": " + e.getMessage());
        }
        if (bytes.length > MAX_FILE) {
            throw refused(folder, shown + " is more than " + MAX_FILE / 1024 + " KiB");
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw refused(folder, shown + " is not UTF-8 text");
        }
    }

    private static String name(String what, String value) {
        if (value == null || !NAME.matcher(value).matches() || value.equals(".") || value.equals("..")) {
            throw new GuliException("'" + NacosNames.printable(value) + "' is not a valid " + what + " name for the "
                    + "configuration folder <module>/config/<environment>: use letters, digits, '.', '_' and '-'");
        }
        return value;
    }

    private static GuliException refused(String folder, String why) {
        return new GuliException("the configuration in " + folder + " is refused: " + why + "; it must hold only the "
                + "branch's own .properties, .yaml or .yml files, each named as its Nacos dataId");
    }

    /** The folder, relative to the workspace, as messages name it. */
    public String folder() {
        return folder;
    }

    public String group() {
        return group;
    }

    public List<ConfigFile> files() {
        return files;
    }

    public boolean isEmpty() {
        return files.isEmpty();
    }

    @Override
    public String toString() {
        return "ConfigSet[" + folder + ", group " + group + ", " + files.size() + " files]";
    }
}
