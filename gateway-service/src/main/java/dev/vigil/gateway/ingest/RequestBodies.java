package dev.vigil.gateway.ingest;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

/** Reads request bodies with a size limit per endpoint, and the form encoding the shipped hook scripts use. */
public final class RequestBodies {

    private RequestBodies() {
    }

    /** The body as bytes; a body over {@code limit} is refused with 413 (its head kept as raw input). */
    public static byte[] read(HttpServletRequest request, DataSize limit, String source) {
        try {
            return read(request.getInputStream(), limit, source);
        } catch (IOException e) {
            throw unreadable(e, source);
        }
    }

    /** As {@link #read(HttpServletRequest, DataSize, String)}, from {@code stream}, which it closes. */
    public static byte[] read(InputStream stream, DataSize limit, String source) {
        int max = (int) limit.toBytes();
        try (InputStream in = stream) {
            byte[] body = in.readNBytes(max + 1);
            if (body.length > max) {
                throw new HookRejectedException(HttpStatus.PAYLOAD_TOO_LARGE, source, "The body is larger than "
                        + limit.toKilobytes() + " kB, the limit of this endpoint.",
                        new String(body, StandardCharsets.UTF_8)); // cut to the rejected-raw limit where it is kept
            }
            return body;
        } catch (IOException e) {
            throw unreadable(e, source);
        }
    }

    /**
     * What a body that cannot be read becomes: a read that timed out stays an I/O failure, which the container answers
     * with 408; anything else the caller sent wrong (a malformed chunked encoding, a connection closed in the middle
     * of the body) a 400 that is kept on {@code backup.rejected}, never a 500.
     */
    public static RuntimeException unreadable(IOException e, String source) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.SocketTimeoutException) {
                return new UncheckedIOException(e);
            }
        }
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new HookRejectedException(HttpStatus.BAD_REQUEST, source, "The body could not be read ("
                + dev.vigil.model.Text.line(why, 200) + "): send it whole, with a valid Content-Length or chunked"
                + " encoding.", "");
    }

    /** {@code a=1&arg=x&arg=y} → {a: [1], arg: [x, y]}, in order; '+' is a space, bad escapes are kept as text. */
    public static Map<String, List<String>> form(String body) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return values;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return values;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text; // a stray '%': keep what was sent rather than lose the call
        }
    }

    /** Where and what, without the input's text or Vigil's class names: {@code at data.error: a value of the wrong type}. */
    public static String describe(tools.jackson.core.JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (tools.jackson.core.JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        String what = e instanceof tools.jackson.core.exc.StreamReadException ? "not well-formed JSON"
                : e instanceof tools.jackson.databind.exc.InvalidFormatException ? "a value this field cannot take"
                : "a value of the wrong type or shape";
        var location = e.getLocation();
        String where = path.isEmpty() ? location == null || location.getLineNr() < 0 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr() : " at " + path;
        return what + where + ".";
    }
}
