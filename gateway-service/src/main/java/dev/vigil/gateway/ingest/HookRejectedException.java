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
    private final String answer;

    public HookRejectedException(HttpStatus status, String source, String reason, String raw) {
        this(status, source, reason, raw, null);
    }

    /**
     * @param answer the exact body a protocol prescribes for this refusal (healthchecks' {@code not found}), when it
     *               differs from the reason kept on {@code backup.rejected}; {@code null} to answer the reason
     */
    public HookRejectedException(HttpStatus status, String source, String reason, String raw, String answer) {
        super(reason);
        this.status = status;
        this.source = source;
        this.raw = raw;
        this.answer = answer;
    }

    /** The body to answer: the protocol's own text where it prescribes one, else the reason. */
    public String answer() {
        return answer != null ? answer : getMessage();
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
