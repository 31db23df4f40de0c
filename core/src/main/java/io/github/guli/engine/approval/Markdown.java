package io.github.guli.engine.approval;

/**
 * Text in the Markdown of DingTalk and WeCom robots, rendered as text: it cannot start a heading, a list, a quote or
 * code, make a link, an image, a button or an HTML tag, nor mention anyone. Backslash escapes cover the punctuation
 * that opens Markdown's constructs (a value never starts a line, so list markers and dots stay as they are); the characters these renderers read as HTML or mentions ({@code < > @}) are replaced by their full-width
 * forms, which no renderer reads; a zero-width space breaks the {@code ://} and {@code www.} a bare URL is auto-linked
 * by. Line breaks become spaces: each value stays on its line.
 */
final class Markdown {
    private static final String ESCAPED = "\\`*_{}[]#!|~&";

    private Markdown() {}

    static String text(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '@') {
                out.append('\uFF20');
            } else if (c == '<') {
                out.append('\uFF1C');
            } else if (c == '>') {
                out.append('\uFF1E');
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                out.append(' ');
            } else if (ESCAPED.indexOf(c) >= 0) {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        return out.toString().replace(":/", ":\u200B/").replace("www.", "www\u200B.");
    }

    /**
     * A diff line, which starts a line of the quote: its first mark escaped, so that {@code ===} or {@code ---} cannot
     * turn the line before into a heading (nor make a rule or a list).
     */
    static String startOfLine(String escaped) {
        String rest = escaped.stripLeading();
        if (!rest.isEmpty() && "-+=".indexOf(rest.charAt(0)) >= 0) {
            int at = escaped.length() - rest.length();
            return escaped.substring(0, at) + "\\" + rest;
        }
        return escaped;
    }

    /** The card as Markdown; the link line only when {@code withLink} (DingTalk's action card has a button instead). */
    static String render(Card card, boolean withLink) {
        StringBuilder md = new StringBuilder();
        md.append("### ").append(text(card.title())).append("\n\n");
        for (Card.Field f : card.fields()) {
            md.append("**")
                    .append(f.label())
                    .append(":** ")
                    .append(text(f.value()))
                    .append("  \n");
        }
        if (!card.commits().isEmpty()) {
            md.append("\n**Commits since the environment's version:**\n\n");
            for (String line : card.commitLines()) {
                md.append("- ").append(text(line)).append('\n');
            }
        }
        if (!card.diff().isEmpty()) {
            md.append("\n**Configuration diff:**\n\n");
            for (String line : card.diff()) {
                md.append("> ").append(startOfLine(text(line))).append("  \n");
            }
        }
        if (withLink && card.link() != null) {
            md.append("\n[")
                    .append(Card.LINK_TEXT)
                    .append("](")
                    .append(linkTarget(card.link()))
                    .append(")\n");
        }
        return md.toString();
    }

    /** The link inside a Markdown link's parentheses: the characters that would end or break it percent-encoded. */
    static String linkTarget(String url) {
        return url.replace("(", "%28")
                .replace(")", "%29")
                .replace(" ", "%20")
                .replace("<", "%3C")
                .replace(">", "%3E");
    }
}
