package io.github.guli.engine.release;

import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import java.util.regex.Pattern;

/**
 * A release version: {@code v} followed by a semantic version (semver.org 2.0.0), e.g. {@code v1.2.0} or
 * {@code v2.0.0-rc.1}. The course matched {@code /v.*}{@code /}, which also took {@code v}, {@code vfoo} and
 * {@code v0.0Beta} (its own default); this rule refuses them.
 */
public final class ReleaseVersion {
    public static final String RULE = "a release version is 'v' followed by a semantic version MAJOR.MINOR.PATCH "
            + "(numbers without leading zeros), optionally -PRERELEASE and +BUILD, e.g. v1.2.0 or v2.0.0-rc.1";

    private static final String NUM = "(0|[1-9]\\d*)";
    private static final String PRE_ID = "(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)";
    private static final Pattern SEMVER = Pattern.compile("v" + NUM + "\\." + NUM + "\\." + NUM
            + "(?:-(" + PRE_ID + "(?:\\." + PRE_ID + ")*))?"
            + "(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?");

    private final String text;

    private ReleaseVersion(String text) {
        this.text = text;
    }

    /** True when the text is a release version; empty and null are not. */
    public static boolean isRelease(String text) {
        return text != null && SEMVER.matcher(text).matches();
    }

    public static ReleaseVersion parse(String text) {
        if (Blank.isBlank(text)) {
            throw new GuliException("PROJECT_VERSION is empty: " + RULE + ".");
        }
        if (!isRelease(text)) {
            throw new GuliException("PROJECT_VERSION '" + text + "' is not a release version: " + RULE + "."
                    + (text.startsWith("V") ? " Use a lower-case 'v'." : ""));
        }
        return new ReleaseVersion(text);
    }

    /**
     * The tag for images. Docker tags allow {@code [A-Za-z0-9_.-]} only, so SemVer build metadata's
     * {@code +} becomes {@code _} (the convention Helm and others use for the same problem).
     */
    public String imageTag() {
        return text.replace('+', '_');
    }

    @Override
    public String toString() {
        return text;
    }
}
