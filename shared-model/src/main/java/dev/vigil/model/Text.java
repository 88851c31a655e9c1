package dev.vigil.model;

/**
 * Text that crosses from what a backup product sent to what a person reads. Whatever bytes a caller sent, a summary,
 * a mail subject or a header gets one line: no control characters (NUL, escapes, line breaks), no invisible format
 * characters (bidi overrides), and a bounded length.
 */
public final class Text {

    private Text() {
    }

    /**
     * {@code text} as one line: control and format characters and line separators become a space, runs of blanks one
     * space, leading and trailing blanks go, and a line longer than {@code limit} characters is cut with "…".
     *
     * @return the line; {@code null} for {@code null}
     */
    public static String line(String text, int limit) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), limit + 1));
        boolean blank = false;
        for (int i = 0; i < text.length() && out.length() <= limit; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT || Character.isWhitespace(c)
                    || c == '\u2028' || c == '\u2029') {
                if (!blank && out.length() > 0) {
                    out.append(' ');
                }
                blank = true;
            } else {
                out.append(c);
                blank = false;
            }
        }
        String line = out.toString().strip();
        if (line.length() > limit) {
            int end = limit - 1;
            if (end > 0 && Character.isHighSurrogate(line.charAt(end - 1))) {
                end--;
            }
            line = line.substring(0, end) + "…";
        }
        return line;
    }
}
