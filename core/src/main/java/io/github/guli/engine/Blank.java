package io.github.guli.engine;

/**
 * Blank means "not given", wherever a value comes from: a form, a Pipeline map, guli.yaml, an option of the command
 * line. Given values are trimmed.
 */
public final class Blank {
    private Blank() {}

    public static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** The value trimmed, or null when it is not given. */
    public static String toNull(String s) {
        return isBlank(s) ? null : s.trim();
    }

    /** The value trimmed, or the fallback when it is not given. */
    public static String orDefault(String s, String fallback) {
        return isBlank(s) ? fallback : s.trim();
    }

    /** The first value that is given, trimmed, or null. */
    public static String firstGiven(String... candidates) {
        for (String c : candidates) {
            if (!isBlank(c)) {
                return c.trim();
            }
        }
        return null;
    }
}
