package dev.vigil.gateway.ingest;

import dev.vigil.model.Text;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way the gateway turns bytes a backup product sent into text, for every source (ping logs, Retrospect
 * arguments, XSIBackup's {@code err}, stoney files):
 * <ol>
 *   <li>a byte order mark decides (UTF-8 {@code EF BB BF}, UTF-16 BE {@code FE FF}, UTF-16 LE {@code FF FE});</li>
 *   <li>else the charset the request declares ({@code Content-Type: text/plain; charset=windows-1252}), or the
 *       {@code encoding} of an XML declaration;</li>
 *   <li>else UTF-16 when the bytes look like it (every other byte NUL: PowerShell and Windows tools without a BOM);</li>
 *   <li>else UTF-8 when the bytes are valid UTF-8;</li>
 *   <li>else windows-1252, the encoding of Windows' own tools and a superset of ISO-8859-1's printable range, so no
 *       byte is lost and {@code échec} stays {@code échec}.</li>
 * </ol>
 * Long texts keep their head and their tail around a marker (the error is usually at the end of a log), and what may
 * reach a summary, a mail subject or a header is one line without control characters ({@link Text#line}).
 */
public final class BodyText {

    /** Bytes of a body kept from its start and from its end when it is longer than their sum. */
    public static final int HEAD_BYTES = 64 * 1024;
    public static final int TAIL_BYTES = 36 * 1024;
    /** A body is read at most this far; beyond it the tail is the last bytes read, and the text says so. */
    public static final long READ_LIMIT = 10L * 1024 * 1024;
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private static final Pattern CHARSET = Pattern.compile("(?i)charset\\s*=\\s*\"?([A-Za-z0-9._:+-]{1,40})");
    private static final Pattern XML_ENCODING = Pattern.compile("^<\\?xml[^>]{0,200}?encoding\\s*=\\s*[\"']([A-Za-z0-9._-]{1,40})[\"']");
    /** Words that mark an error line, in the languages of the logs Vigil reads (Unicode word boundaries). */
    private static final Pattern ERROR_LINE = Pattern.compile(
            "(?iU)\\b(error|errors|fail|failed|failure|fatal|exception|denied|refused|cannot|can't|could not|unable|"
                    + "panic|abort|aborted|timed? ?out|no space|erreur|échec|echec|impossible|refusé|fehler|"
                    + "fehlgeschlagen|verweigert|abgebrochen|errore|fallito|mislukt|fout|error al|fallo)\\b");

    private BodyText() {
    }

    /**
     * A body as it arrived, cut to its head and tail when long.
     *
     * @param bytes     the bytes kept: all of them, or the head, then the tail
     * @param headBytes how many of {@code bytes} are the head when cut (else {@code bytes.length})
     * @param total     how many bytes the body had (at least; reading stops at {@link #READ_LIMIT})
     */
    public record Raw(byte[] bytes, int headBytes, long total) {

        public boolean cut() {
            return headBytes < bytes.length || total > bytes.length;
        }
    }

    /** Decoded text and how it was decoded (for the event's attributes). */
    public record Decoded(String text, String charset, String how, boolean cut) {
    }

    /** Reads a whole body, keeping {@link #HEAD_BYTES} of its start and {@link #TAIL_BYTES} of its end. */
    public static Raw read(InputStream in) {
        try {
            byte[] head = in.readNBytes(HEAD_BYTES + TAIL_BYTES);
            if (head.length < HEAD_BYTES + TAIL_BYTES) {
                return new Raw(head, head.length, head.length);
            }
            byte[] ring = new byte[TAIL_BYTES];
            System.arraycopy(head, HEAD_BYTES, ring, 0, TAIL_BYTES);
            int pos = 0;
            long total = head.length;
            byte[] chunk = new byte[8192];
            int n;
            while (total < READ_LIMIT && (n = in.read(chunk)) > 0) {
                for (int i = 0; i < n; i++) {
                    ring[pos] = chunk[i];
                    pos = (pos + 1) % TAIL_BYTES;
                }
                total += n;
            }
            if (total == head.length) {
                return new Raw(head, head.length, total);
            }
            byte[] kept = new byte[HEAD_BYTES + TAIL_BYTES];
            System.arraycopy(head, 0, kept, 0, HEAD_BYTES);
            System.arraycopy(ring, pos, kept, HEAD_BYTES, TAIL_BYTES - pos);
            System.arraycopy(ring, 0, kept, HEAD_BYTES + TAIL_BYTES - pos, pos);
            return new Raw(kept, HEAD_BYTES, total);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes a whole body by the rules above; {@code contentType} may be {@code null}. */
    public static Decoded decode(byte[] bytes, String contentType) {
        return decode(new Raw(bytes, bytes.length, bytes.length), contentType);
    }

    /** Decodes a body read by {@link #read}: head and tail each, joined by a marker that says how much is left out. */
    public static Decoded decode(Raw raw, String contentType) {
        byte[] bytes = raw.bytes();
        String how;
        Charset charset;
        int skip = 0;
        if (startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
            charset = StandardCharsets.UTF_8;
            how = "bom";
            skip = 3;
        } else if (startsWith(bytes, 0xFE, 0xFF)) {
            charset = StandardCharsets.UTF_16BE;
            how = "bom";
            skip = 2;
        } else if (startsWith(bytes, 0xFF, 0xFE)) {
            charset = StandardCharsets.UTF_16LE;
            how = "bom";
            skip = 2;
        } else if ((charset = declared(contentType, bytes)) != null) {
            how = "declared";
            if (charset.name().equals("UTF-16")) {
                charset = looksLikeUtf16(bytes, 0) == StandardCharsets.UTF_16LE ? StandardCharsets.UTF_16LE
                        : StandardCharsets.UTF_16BE;
            }
        } else if ((charset = looksLikeUtf16(bytes, 0)) != null) {
            how = "guessed";
        } else if (raw.cut() ? validUtf8(bytes, 0, utf8Boundary(bytes, 0, raw.headBytes()))
                && validUtf8(bytes, utf8Start(bytes, raw.headBytes()), bytes.length) : validUtf8(bytes, 0, bytes.length)) {
            charset = StandardCharsets.UTF_8;
            how = "utf-8";
        } else {
            charset = WINDOWS_1252;
            how = "fallback";
        }
        if (!raw.cut()) {
            return new Decoded(text(bytes, skip, bytes.length, charset), charset.name(), how, false);
        }
        int headEnd = raw.headBytes();
        int tailStart = headEnd;
        int unit = charset.name().startsWith("UTF-16") ? 2 : 1;
        if (unit == 2) {
            headEnd -= (headEnd - skip) % 2;
            tailStart += (bytes.length - tailStart) % 2;
        } else if (charset == StandardCharsets.UTF_8) {
            headEnd = utf8Boundary(bytes, skip, headEnd); // a sequence the cut split is dropped whole
            tailStart = utf8Start(bytes, tailStart);
        }
        long leftOut = raw.total() - (headEnd - skip) - (bytes.length - tailStart);
        String text = text(bytes, skip, headEnd, charset) + "\n[… " + leftOut + " bytes left out …]\n"
                + text(bytes, tailStart, bytes.length, charset);
        return new Decoded(text, charset.name(), how, true);
    }

    /**
     * The reason a log gives for a failure: its last line that names an error (error, failed, fatal, denied, cannot,
     * …, and the same in French, German, Italian, Dutch and Spanish), else its last line that is not blank; as a
     * {@link Text#line}. {@code null} for an empty log.
     */
    public static String reason(String log, int limit) {
        if (log == null || log.isBlank()) {
            return null;
        }
        List<String> lines = Arrays.asList(log.split("\\R"));
        String lastText = null;
        for (int i = lines.size() - 1; i >= 0; i--) {
            String candidate = Text.line(lines.get(i), 4 * limit);
            if (candidate.isEmpty() || candidate.startsWith("[… ")) {
                continue;
            }
            if (lastText == null) {
                lastText = candidate;
            }
            if (ERROR_LINE.matcher(candidate).find()) {
                return Text.line(candidate, limit);
            }
        }
        return lastText == null ? null : Text.line(lastText, limit);
    }

    private static Charset declared(String contentType, byte[] bytes) {
        String name = null;
        if (contentType != null) {
            Matcher m = CHARSET.matcher(contentType);
            if (m.find()) {
                name = m.group(1);
            }
        }
        if (name == null) {
            String start = new String(bytes, 0, Math.min(bytes.length, 256), StandardCharsets.ISO_8859_1);
            Matcher m = XML_ENCODING.matcher(start);
            if (m.find()) {
                name = m.group(1);
            }
        }
        if (name == null) {
            return null;
        }
        try {
            Charset charset = Charset.forName(name.toLowerCase(Locale.ROOT).equals("iso-8859-1") ? "windows-1252" : name);
            return charset;
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return null; // an unknown charset: the next rules decide
        }
    }

    /** UTF-16 without a BOM: at least 4 bytes, and nearly every odd (LE) or even (BE) byte NUL. */
    private static Charset looksLikeUtf16(byte[] bytes, int from) {
        int n = Math.min(bytes.length - from, 2048) & ~1;
        if (n < 4) {
            return null;
        }
        int evenNul = 0;
        int oddNul = 0;
        for (int i = 0; i < n; i++) {
            if (bytes[from + i] == 0) {
                if (i % 2 == 0) {
                    evenNul++;
                } else {
                    oddNul++;
                }
            }
        }
        int half = n / 2;
        if (oddNul >= half * 0.9 && evenNul <= half * 0.1) {
            return StandardCharsets.UTF_16LE;
        }
        if (evenNul >= half * 0.9 && oddNul <= half * 0.1) {
            return StandardCharsets.UTF_16BE;
        }
        return null;
    }

    private static boolean validUtf8(byte[] bytes, int from, int to) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, from, to - from));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** {@code end} moved back over a UTF-8 sequence that a cut at {@code end} split. */
    private static int utf8Boundary(byte[] bytes, int from, int end) {
        int back = end;
        while (back > from && end - back < 3 && (bytes[back - 1] & 0xC0) == 0x80) {
            back--;
        }
        if (back > from && (bytes[back - 1] & 0xC0) == 0xC0) {
            int lead = bytes[back - 1] & 0xFF;
            int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
            return end - (back - 1) < length ? back - 1 : end;
        }
        return end;
    }

    /** The start of the tail moved past continuation bytes of a sequence the cut split. */
    private static int utf8Start(byte[] bytes, int start) {
        while (start < bytes.length && (bytes[start] & 0xC0) == 0x80) {
            start++;
        }
        return start;
    }

    private static String text(byte[] bytes, int from, int to, Charset charset) {
        return new String(bytes, from, Math.max(0, to - from), charset);
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
