package io.github.guli.jenkins;

/** Blank means "not given" in forms and Pipeline maps alike. */
final class Values {
    private Values() {}

    static String trimToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** The first value that is given, or null. */
    static String firstGiven(String... candidates) {
        for (String c : candidates) {
            if (trimToNull(c) != null) {
                return c.trim();
            }
        }
        return null;
    }

    static String orDefault(String s, String fallback) {
        String v = trimToNull(s);
        return v == null ? fallback : v;
    }
}
