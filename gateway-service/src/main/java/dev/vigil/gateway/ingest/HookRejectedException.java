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
    private final boolean unauthenticated;
    private final long retryAfterSeconds;

    public HookRejectedException(HttpStatus status, String source, String reason, String raw) {
        this(status, source, reason, raw, null);
    }

    /**
     * @param answer the exact body a protocol prescribes for this refusal (healthchecks' {@code not found}), when it
     *               differs from the reason kept on {@code backup.rejected}; {@code null} to answer the reason
     */
    public HookRejectedException(HttpStatus status, String source, String reason, String raw, String answer) {
        this(status, source, reason, raw, answer, false, 0);
    }

    private HookRejectedException(HttpStatus status, String source, String reason, String raw, String answer,
                                  boolean unauthenticated, long retryAfterSeconds) {
        super(reason);
        this.status = status;
        this.source = source;
        this.raw = raw;
        this.answer = answer;
        this.unauthenticated = unauthenticated;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * {@code 429}: more calls than the registration's rate limit.
     *
     * @param retryAfterSeconds when a call would be admitted again, in whole seconds (at least 1): the
     *                          {@code Retry-After} of the answer (RFC 9110, section 10.2.3)
     */
    public static HookRejectedException tooManyCalls(String source, String reason, String raw, long retryAfterSeconds) {
        return new HookRejectedException(HttpStatus.TOO_MANY_REQUESTS, source, reason, raw, null, false,
                Math.max(1, retryAfterSeconds));
    }

    /** Seconds the caller should wait before calling again ({@code Retry-After}); 0 when the refusal says none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The same refusal, keeping {@code kept} as its input (a source's masked form of what it was sent). */
    public HookRejectedException keeping(String kept) {
        HookRejectedException copy = new HookRejectedException(status, source, getMessage(), kept, answer,
                unauthenticated, retryAfterSeconds);
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    /**
     * A call nobody is known to have sent (no or a wrong token; a ping to an unknown UUID): refused before its body is
     * read, counted, and kept on {@code backup.rejected} only as a sample, so a flood cannot fill the topic.
     *
     * @param answer the protocol's own body, or {@code null} to answer the reason
     */
    public static HookRejectedException unauthenticated(HttpStatus status, String source, String reason, String answer) {
        return new HookRejectedException(status, source, reason, null, answer, true, 0);
    }

    /** True for a call refused before anything of it was read because no registration knows its token. */
    public boolean unauthenticatedCall() {
        return unauthenticated;
    }

    /** The body to answer: the protocol's own text where it prescribes one, else the reason. */
    public String answer() {
        return answer != null ? answer : getMessage();
    }

    public static HookRejectedException unauthorized(String source) {
        return unauthenticated(HttpStatus.UNAUTHORIZED, source, "No registration matches this token for " + source + ".",
                null);
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
