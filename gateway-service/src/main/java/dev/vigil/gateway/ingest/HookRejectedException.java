package dev.vigil.gateway.ingest;

import org.springframework.http.HttpStatus;

/**
 * A hook Vigil refuses: the status says why (400 cannot parse, 401 wrong token, 413 too large), the reason says
 * what is wrong in words the caller's administrator understands, and the raw input is kept on
 * {@code backup.rejected}.
 */
public class HookRejectedException extends RuntimeException {

    private final HttpStatus status;
    private final String source;
    private final String raw;

    public HookRejectedException(HttpStatus status, String source, String reason, String raw) {
        super(reason);
        this.status = status;
        this.source = source;
        this.raw = raw;
    }

    public static HookRejectedException unauthorized(String source, String raw) {
        return new HookRejectedException(HttpStatus.UNAUTHORIZED, source,
                "No registration matches this token for " + source + ".", raw);
    }

    public HttpStatus status() {
        return status;
    }

    public String source() {
        return source;
    }

    public String raw() {
        return raw;
    }
}
