package io.github.guli.engine.provision;

import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/** YAML text of the objects: block style, multi-line strings (configs, scripts) as literal blocks people can read. */
final class Yamls {
    private Yamls() {}

    static String dump(Map<String, Object> object) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setIndicatorIndent(0);
        o.setSplitLines(false);
        o.setWidth(1000);
        Representer r = new Representer(o) {
            {
                representers.put(String.class, data -> {
                    String s = (String) data;
                    return representScalar(
                            Tag.STR,
                            s,
                            s.contains("\n") ? DumperOptions.ScalarStyle.LITERAL : DumperOptions.ScalarStyle.PLAIN);
                });
            }
        };
        return new Yaml(r, o).dump(object);
    }

    /** A YAML double-quoted scalar: any password is safe in the generated ShardingSphere files. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
