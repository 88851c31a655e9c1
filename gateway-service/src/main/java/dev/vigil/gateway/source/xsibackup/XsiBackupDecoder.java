package dev.vigil.gateway.source.xsibackup;

import dev.vigil.gateway.ingest.BodyText;
import dev.vigil.gateway.ingest.SecretMasker;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes XSIBackup-PRO's {@code --on-error} / {@code --on-success} query: base64 of {@code k=v|k=v|…}, with
 * {@code cmd} and {@code err} base64 once more. Lenient the way the real senders need (source spec §2.2):
 * percent-escapes, {@code +} turned into a space by a proxy, URL-safe alphabet, wrong or missing padding, line
 * wraps, and the NUL that XSIBackup-Free's encoder puts before every non-ASCII byte.
 */
final class XsiBackupDecoder {

    private static final Set<String> KNOWN_KEYS = Set.of("PID", "t", "cmd", "err");

    private XsiBackupDecoder() {
    }

    /** The decoded payload. {@code err} is {@code null} when absent and {@code ""} when sent empty. */
    record Payload(String pid, String t, String cmd, String err, Map<String, String> extras,
                   Set<String> duplicateKeys) {
    }

    /**
     * The payload encoded again as XSIBackup sends it ({@code base64(PID=…|t=…|cmd=base64(…)|err=base64(…)|…)}) with
     * {@code cmd} and {@code err} masked: what is kept as an event's raw input, still readable by {@link #decode}.
     */
    static String encodeMasked(Payload payload, dev.vigil.gateway.ingest.SecretMasker masker) {
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        StringBuilder inner = new StringBuilder();
        java.util.function.BiConsumer<String, String> add = (key, value) -> {
            if (value != null) {
                inner.append(inner.isEmpty() ? "" : "|").append(key).append('=').append(value);
            }
        };
        add.accept("PID", payload.pid());
        add.accept("t", payload.t());
        add.accept("cmd", payload.cmd() == null ? null
                : b64.encodeToString(masker.mask(payload.cmd()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        add.accept("err", payload.err() == null ? null
                : b64.encodeToString(masker.mask(payload.err()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        payload.extras().forEach((key, value) -> add.accept(key, masker.maskAttribute(key, value)));
        return b64.encodeToString(inner.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * A query as it may be kept: re-encoded with its secrets masked when it decodes; when only some of it decodes (a
     * refused payload: {@code err} not base64, say), each part is masked in its own encoding
     * ({@link #maskedLeniently}); when nothing decodes, as the text it is, or {@code ***} when it could hide base64.
     */
    static String maskedQuery(String query, dev.vigil.gateway.ingest.SecretMasker masker) {
        if (query == null) {
            return null;
        }
        try {
            return encodeMasked(decode(query), masker);
        } catch (InvalidPayloadException | RuntimeException e) {
            return maskedLeniently(query, masker);
        }
    }

    /**
     * The outer base64 decoded and split at {@code |}; each {@code key=value} whose value decodes as base64 has the
     * decoded text masked and encoded again, any other part is masked as text; all encoded again as it came. A
     * {@code cmd} that decodes keeps no secret because another part did not; a part that does not decode but holds a
     * run of 16 or more base64 characters (pieces of it may decode) is kept as {@code ***}. When the outer base64 does
     * not decode, the query is kept as {@code ***} if it holds such a run, else masked as the text it is.
     */
    private static String maskedLeniently(String query, SecretMasker masker) {
        String inner;
        try {
            inner = decodeText(query, "query");
        } catch (InvalidPayloadException | RuntimeException e) {
            // base64 that does not decode as a whole can still hold base64 that does (a cmd with the SMTP password)
            // behind junk: what cannot be checked for secrets is not kept
            return hidesBase64(query) ? SecretMasker.MASK : masker.mask(query);
        }
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (String segment : inner.split("\\|", -1)) {
            int eq = segment.indexOf('=');
            if (eq < 0) {
                parts.add(masker.mask(segment));
                continue;
            }
            String key = segment.substring(0, eq);
            String value = segment.substring(eq + 1);
            String kept;
            try {
                String text = decodeText(value, key);
                String masked = masker.mask(text);
                kept = masked.equals(text) ? masker.mask(value)
                        : b64.encodeToString(masked.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (InvalidPayloadException | RuntimeException e) {
                // cmd and err are base64: one that does not decode may still hold decodable pieces
                kept = hidesBase64(value) ? SecretMasker.MASK : masker.maskAttribute(key, value);
            }
            parts.add(masker.mask(key) + "=" + kept);
        }
        return b64.encodeToString(String.join("|", parts).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static final java.util.regex.Pattern BASE64_RUN = java.util.regex.Pattern.compile("[A-Za-z0-9+/_-]{16}");

    /** True when {@code text} holds a run of 16 or more base64 characters: enough to hide a secret from masking. */
    private static boolean hidesBase64(String text) {
        return BASE64_RUN.matcher(text).find();
    }

    /** Thrown when the query is not an XSIBackup payload; the message says why. */
    static final class InvalidPayloadException extends Exception {
        InvalidPayloadException(String message) {
            super(message);
        }
    }

    static Payload decode(String rawQuery) throws InvalidPayloadException {
        if (rawQuery == null || rawQuery.isBlank()) {
            throw new InvalidPayloadException("The query is empty: XSIBackup sends its data as a base64 query string.");
        }
        String inner = decodeText(rawQuery, "query");
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> extras = new LinkedHashMap<>();
        Set<String> duplicates = new LinkedHashSet<>();
        for (String segment : inner.split("\\|", -1)) {
            if (segment.isEmpty()) {
                continue;
            }
            int eq = segment.indexOf('=');
            if (eq < 0) {
                extras.put(segment, "");
                continue;
            }
            String key = segment.substring(0, eq);
            String value = segment.substring(eq + 1);
            Map<String, String> target = KNOWN_KEYS.contains(key) ? values : extras;
            if (target.put(key, value) != null) {
                duplicates.add(key); // last value wins, as the spec says
            }
        }
        if (values.isEmpty()) {
            throw new InvalidPayloadException("The decoded query holds none of the XSIBackup fields PID, t, cmd, err.");
        }
        String cmd = values.containsKey("cmd") ? decodeText(values.get("cmd"), "cmd") : null;
        String err = values.containsKey("err") ? decodeText(values.get("err"), "err") : null;
        return new Payload(values.get("PID"), values.get("t"), cmd, err, extras, duplicates);
    }

    /** Base64 text → string, with every leniency of §2.2. An empty value decodes to "". */
    static String decodeText(String encoded, String what) throws InvalidPayloadException {
        String normalised = normalise(encoded, what);
        if (normalised.isEmpty()) {
            return "";
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(normalised);
        } catch (IllegalArgumentException e) {
            throw new InvalidPayloadException("The " + what + " is not base64: " + e.getMessage());
        }
        return toText(dropNulBeforeHighBytes(bytes));
    }

    private static String normalise(String encoded, String what) throws InvalidPayloadException {
        String text = encoded.indexOf('%') >= 0 ? percentDecode(encoded, what) : encoded;
        StringBuilder b64 = new StringBuilder(text.length() + 3);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case ' ' -> b64.append('+');
                case '\r', '\n' -> { }
                case '-' -> b64.append('+');
                case '_' -> b64.append('/');
                default -> {
                    if (!isBase64(c) && c != '=') {
                        throw new InvalidPayloadException("The " + what + " is not base64: it contains '" + c
                                + "' at position " + i + ".");
                    }
                    b64.append(c);
                }
            }
        }
        // Padding may be wrong, not only missing: strip it and compute it again.
        int end = b64.length();
        while (end > 0 && b64.charAt(end - 1) == '=') {
            end--;
        }
        b64.setLength(end);
        if (b64.indexOf("=") >= 0) {
            throw new InvalidPayloadException("The " + what + " is not base64: '=' inside the data.");
        }
        if (b64.length() % 4 == 1) {
            throw new InvalidPayloadException("The " + what + " is not base64: its length cannot be decoded.");
        }
        while (b64.length() % 4 != 0) {
            b64.append('=');
        }
        return b64.toString();
    }

    private static boolean isBase64(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }

    /** %XX only; a literal '+' stays '+' (it is base64, not a form-encoded space). */
    private static String percentDecode(String text, String what) throws InvalidPayloadException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length() || Character.digit(text.charAt(i + 1), 16) < 0
                        || Character.digit(text.charAt(i + 2), 16) < 0) {
                    throw new InvalidPayloadException("The " + what + " has a broken percent-escape at position "
                            + i + ".");
                }
                out.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** XSIBackup-Free's encoder pads every byte ≥ 0x80 to 16 bits: a NUL arrives in front of it. */
    private static byte[] dropNulBeforeHighBytes(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0 && i + 1 < bytes.length && (bytes[i + 1] & 0xFF) >= 0x80) {
                continue;
            }
            out.write(bytes[i]);
        }
        return out.toByteArray();
    }

    /** The gateway's one decoding of bytes (BOM, UTF-16, UTF-8, else windows-1252): see {@link BodyText}. */
    private static String toText(byte[] bytes) {
        return BodyText.decode(bytes, null).text();
    }

    /**
     * The value of {@code --option=} in a command line after the shell parsed it: quotes are gone, so a value runs
     * up to the next {@code " --"}, not to the next blank ({@code --backup-vms=WIN7,New VM --backup-type=…}).
     */
    static String option(String cmd, String name) {
        if (cmd == null) {
            return null;
        }
        String marker = "--" + name + "=";
        int start = cmd.startsWith(marker) ? 0 : cmd.indexOf(" " + marker);
        if (start < 0) {
            return null;
        }
        start = cmd.indexOf(marker, start) + marker.length();
        int end = cmd.indexOf(" --", start);
        String value = (end < 0 ? cmd.substring(start) : cmd.substring(start, end)).strip();
        if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
            value = value.substring(1, value.length() - 1);
        }
        return value;
    }

    /** The non-empty lines of an error list; XSIBackup ends each with {@code <br />}. */
    static List<String> errorLines(String err) {
        List<String> lines = new ArrayList<>();
        if (err == null) {
            return lines;
        }
        for (String line : err.split("\\r?\\n|<br\\s*/?>")) {
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        return lines;
    }
}
