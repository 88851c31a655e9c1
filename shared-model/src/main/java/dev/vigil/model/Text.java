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
        return line(text, limit, true);
    }

    /** As {@link #line(String, int)}; {@code shortcut} false always copies (the reference the shortcut is tested by). */
    static String line(String text, int limit, boolean shortcut) {
        if (text == null) {
            return null;
        }
        if (shortcut && isLine(text, limit)) {
            return text; // most texts are one line already: nothing to copy
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

    /**
     * True when {@link #line} would return {@code text} as it is: short enough, one space between words, no blank at an
     * end, no character it replaces.
     */
    private static boolean isLine(String text, int limit) {
        int n = text.length();
        if (n > limit || n > 0 && (text.charAt(0) == ' ' || text.charAt(n - 1) == ' ')) {
            return false;
        }
        char previous = 'x';
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == ' ' ? previous == ' ' : c < 0x7f ? c < ' ' : !plainAbove(c)) {
                return false;
            }
            previous = c;
        }
        return true;
    }

    /** A character above ASCII that {@link #line} keeps as it is. */
    private static boolean plainAbove(char c) {
        return !(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT || Character.isWhitespace(c)
                || c == '\u2028' || c == '\u2029');
    }

    /**
     * {@code text} with every lone UTF-16 surrogate (half of a pair without its other half, which a JSON escape of one
     * half can make) replaced by U+FFFD. Such a text cannot be written as UTF-8 (Java's encoder writes {@code ?} for
     * it), so it would be one value in memory and another once written to a topic, a store or a Kafka key.
     *
     * @return {@code text} itself when it has none; {@code null} for {@code null}
     */
    public static String wellFormed(String text) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1));
                if (!paired) {
                    StringBuilder out = new StringBuilder(text.length()).append(text, 0, i);
                    for (int j = i; j < text.length(); j++) {
                        char d = text.charAt(j);
                        if (Character.isHighSurrogate(d) && j + 1 < text.length()
                                && Character.isLowSurrogate(text.charAt(j + 1))) {
                            out.append(d).append(text.charAt(++j));
                        } else {
                            out.append(Character.isSurrogate(d) ? '\uFFFD' : d);
                        }
                    }
                    return out.toString();
                }
                i++; // the pair's low half
            }
        }
        return text;
    }

    /**
     * {@code text} fit to be a name (a job, an account): every control or invisible format character (NUL, escapes,
     * line breaks, bidi overrides, zero-width characters) and line separator becomes a space, other characters stay
     * as they are. A name longer than {@code limit} characters keeps its head, then "…#" and the first 12 hex digits of
     * the SHA-256 of the whole cleaned name: two long names that differ anywhere stay two names, and one name always
     * maps to the same. Never longer than {@code limit} (at least 20). A name of which nothing visible is left is
     * {@code (invisible name)#} and the digest of the text as sent. A lone surrogate becomes U+FFFD
     * ({@link #wellFormed}).
     *
     * @return the name; {@code null} for {@code null}
     */
    public static String name(String text, int limit) {
        if (text == null) {
            return null;
        }
        text = wellFormed(text);
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean unfit = Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || c == '\u2028' || c == '\u2029';
            if (unfit && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(unfit ? ' ' : c);
            }
        }
        String name = out == null ? text : out.toString();
        if (out != null && name.isBlank()) {
            // nothing visible is left (a name of zero-width or bidi characters): a name that says so, and a digest of
            // what was sent, so two such names stay two jobs
            return "(invisible name)#" + java.util.HexFormat.of().formatHex(sha256(text), 0, 6);
        }
        if (name.length() <= limit) {
            return name;
        }
        String digest = java.util.HexFormat.of().formatHex(sha256(name), 0, 6);
        int end = Math.max(1, limit - 2 - digest.length());
        if (Character.isHighSurrogate(name.charAt(end - 1))) {
            end--;
        }
        return name.substring(0, end) + "…#" + digest;
    }

    private static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /**
     * How long, for a person, in units every language here reads: {@code 45 s}, {@code 14 min 5 s}, {@code 2 h 5 min},
     * {@code 3 d 4 h} (the two largest units; a negative duration is {@code 0 s}).
     */
    public static String duration(java.time.Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3_600;
        long minutes = seconds % 3_600 / 60;
        if (days > 0) {
            return days + " d " + hours + " h";
        }
        if (hours > 0) {
            return hours + " h " + minutes + " min";
        }
        if (minutes > 0) {
            return minutes + " min " + seconds % 60 + " s";
        }
        return seconds + " s";
    }

    /**
     * A size for a person, in binary units with one decimal: {@code 512 B}, {@code 1.5 KiB}, {@code 3.2 GiB}
     * (IEC 80000-13). The same in every language here.
     */
    public static String size(long bytes) {
        if (Math.abs(bytes) < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = -1;
        while (Math.abs(value) >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
