package io.github.guli.engine.nacos;

import io.github.guli.engine.GuliException;

/**
 * The names Nacos accepts, by its own rule (server {@code ParamUtils.isValid}): letters, digits and {@code _ - . :},
 * none empty; a dataId of at most 255 characters, a group and a namespace of at most 128 (its table's columns). Checked
 * here first so a bad name fails before anything is sent.
 */
public final class NacosNames {
    public static final String DEFAULT_GROUP = "DEFAULT_GROUP";
    static final int DATA_ID_MAX = 255;
    static final int GROUP_MAX = 128;
    static final int NAMESPACE_MAX = 128;

    private NacosNames() {}

    static boolean isValid(String name, int max) {
        if (name == null || name.isEmpty() || name.length() > max) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '_' && c != '-' && c != '.' && c != ':') {
                return false;
            }
        }
        return true;
    }

    public static String dataId(String dataId) {
        return check("dataId", dataId, DATA_ID_MAX);
    }

    public static String group(String group) {
        return check("group", group, GROUP_MAX);
    }

    /** A namespace ID; blank means Nacos' default namespace ({@code public}), sent as no tenant at all. */
    public static String namespace(String namespace) {
        return namespace == null || namespace.isBlank() ? "" : check("namespace", namespace.trim(), NAMESPACE_MAX);
    }

    private static String check(String what, String name, int max) {
        if (!isValid(name, max)) {
            throw new GuliException("'" + printable(name) + "' is not a valid Nacos " + what + ": use letters, digits, "
                    + "'_', '-', '.' and ':' only, at most " + max + " characters");
        }
        return name;
    }

    /** A name as an error message may show it: control characters escaped, cut at 80 characters. */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(80).forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return s.codePointCount(0, s.length()) > 80 ? b + "..." : b.toString();
    }
}
