package io.github.guli.engine.pipeline;

import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** The {@code <modules>} of a multi-module Maven project's root pom.xml: the services a GuliMall repository holds. */
final class Modules {
    private Modules() {}

    /** The root pom is read on the controller and comes from the branch: keep what is parsed there bounded. */
    static final int MAX_POM_CHARS = 512 * 1024;

    static List<String> of(String pomText) {
        List<String> modules = new ArrayList<>();
        if (Blank.isBlank(pomText)) {
            return modules;
        }
        if (pomText.length() > MAX_POM_CHARS) {
            throw new GuliException(
                    "the repository's pom.xml is larger than " + MAX_POM_CHARS / 1024 + " KB, too large "
                            + "to read for its modules on the controller: list the services in the Jenkinsfile instead, e.g. "
                            + "guliPipeline(service: 'gulimall-gateway', services: ['gulimall-gateway', 'gulimall-cart'])");
        }
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // the pom comes from the service repository: no DTDs, no external entities
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            DocumentBuilder builder = f.newDocumentBuilder();
            builder.setErrorHandler(null); // errors become the exception below, not lines on stderr
            Element project =
                    builder.parse(new InputSource(new StringReader(pomText))).getDocumentElement();
            NodeList list = project.getElementsByTagName("module");
            for (int i = 0; i < list.getLength(); i++) {
                Element m = (Element) list.item(i);
                // only the project's own <modules>, not those of its profiles
                if (m.getParentNode().getParentNode() == project) {
                    modules.add(m.getTextContent().trim());
                }
            }
        } catch (Exception e) {
            throw new GuliException("the repository's pom.xml cannot be read for its modules (" + e.getMessage()
                    + "): fix it, or list the services in the configuration, e.g. services: [gulimall-gateway]");
        }
        return modules;
    }
}
