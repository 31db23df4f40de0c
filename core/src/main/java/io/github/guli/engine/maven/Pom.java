package io.github.guli.engine.maven;

import io.github.guli.engine.GuliException;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * One pom.xml, read the one way the engine reads a branch's poms: bounded in size, no DTD (so no external entity
 * and no entity expansion), secure processing on. Its modules are those of the project's own {@code <modules>}:
 * a profile's are never counted, since which profile Maven activates cannot be known before it runs.
 */
public final class Pom {
    /** A pom comes from the branch: more than this (characters of a text, bytes of a file) is refused unparsed. */
    public static final int MAX_SIZE = 512 * 1024;

    private final Element project;

    private Pom(Element project) {
        this.project = project;
    }

    /** Parses {@code text}; {@code what} names it in errors (a path, "the repository's pom.xml"). */
    public static Pom parse(String text, String what) {
        if (text.length() > MAX_SIZE) {
            throw tooLarge(what);
        }
        return new Pom(parse(new InputSource(new StringReader(text)), what));
    }

    /** Reads and parses the file {@code pom}, reading no more than the limit. */
    public static Pom read(File pom) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(pom.toPath())) {
            bytes = in.readNBytes(MAX_SIZE + 1);
        } catch (IOException e) {
            throw new GuliException("cannot read " + pom + ": " + e.getMessage(), e);
        }
        if (bytes.length > MAX_SIZE) {
            throw tooLarge(pom.toString());
        }
        return new Pom(parse(new InputSource(new ByteArrayInputStream(bytes)), pom.toString()));
    }

    private static GuliException tooLarge(String what) {
        return new GuliException(what + " is larger than " + MAX_SIZE / 1024 + " KB: a pom.xml of the branch is "
                + "refused unread beyond that; make it smaller");
    }

    private static Element parse(InputSource source, String what) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null); // errors become the exception below, not lines on stderr
            return b.parse(source).getDocumentElement();
        } catch (SAXException e) {
            if (String.valueOf(e.getMessage()).contains("DOCTYPE")) {
                throw new GuliException(what + " has a DOCTYPE: a pom.xml needs none, and its entities could read "
                        + "files or expand without end; remove the <!DOCTYPE ...> declaration");
            }
            throw new GuliException(what + " is not well-formed XML: " + e.getMessage());
        } catch (IOException | ParserConfigurationException e) {
            throw new GuliException("cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    /** The {@code <project>} element. */
    public Element project() {
        return project;
    }

    /** The entries of the project's own {@code <modules>}, trimmed, in order; none for a single-module project. */
    public List<String> modules() {
        List<String> out = new ArrayList<>();
        Element modules = child(project, "modules");
        for (Node n = modules == null ? null : modules.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("module")) {
                out.add(e.getTextContent().trim());
            }
        }
        return out;
    }

    /** The direct child element {@code name} of {@code parent}, or null. */
    public static Element child(Element parent, String name) {
        for (Node n = parent == null ? null : parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The trimmed text of the direct child {@code name} of {@code parent}; null when absent or empty. */
    public static String text(Element parent, String name) {
        Element e = child(parent, name);
        if (e == null) {
            return null;
        }
        String t = e.getTextContent().trim();
        return t.isEmpty() ? null : t;
    }
}
