package io.github.guli.jenkins;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;
import org.jvnet.localizer.LocaleProvider;

/**
 * The plugin's user-facing texts (step names, form validation) from {@code Messages.properties} and its
 * translations beside it, in the language of the browser being served.
 */
final class Messages {
    private static final String BUNDLE = "io.github.guli.jenkins.Messages";
    // Without this, a locale that has no translation would fall back to the controller's own locale before the
    // English base file: an English browser on a Chinese controller would read Chinese.
    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private Messages() {}

    /** {@code key} formatted with {@code args} for the current request's locale (outside a request: the JVM's). */
    static String get(String key, Object... args) {
        return get(LocaleProvider.getLocale(), key, args);
    }

    static String get(Locale locale, String key, Object... args) {
        ResourceBundle bundle = ResourceBundle.getBundle(BUNDLE, locale, Messages.class.getClassLoader(), NO_FALLBACK);
        return new MessageFormat(bundle.getString(key), locale).format(args);
    }
}
