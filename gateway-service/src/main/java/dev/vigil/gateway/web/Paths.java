package dev.vigil.gateway.web;

/** Request paths as they may be logged: the token segment of a hook URL is masked. */
public final class Paths {

    /**
     * The {@code Cache-Control} of every answer under {@code /ping}, as healthchecks' ping view sends it (Django's
     * {@code never_cache}): no proxy or client cache answers a ping in Vigil's place.
     */
    public static final String NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private";

    private Paths() {
    }

    /** {@code /hooks/xsibackup/s3cr3t/error} → {@code /hooks/xsibackup/***}{@code /error}; other paths unchanged. */
    static String maskToken(String path) {
        String[] segments = path.split("/", -1);
        // Only XSIBackup (/hooks/xsibackup/{token}/...) and pings (/ping/{uuid}/...) carry a secret in the path.
        int tokenIndex = segments.length > 3 && "hooks".equals(segments[1]) && "xsibackup".equals(segments[2]) ? 3
                : segments.length > 2 && "ping".equals(segments[1]) ? 2 : -1;
        if (tokenIndex > 0 && tokenIndex < segments.length && !segments[tokenIndex].isEmpty()) {
            segments[tokenIndex] = "***";
        }
        return String.join("/", segments);
    }

    /**
     * The source a path is for: {@code xsibackup}, {@code retrospect}, {@code stoney} (under {@code /hooks/}),
     * {@code healthchecks} ({@code /ping}), {@code generic} ({@code /api/v1/events}), else {@code unknown}. Only
     * these, whatever a caller puts in a path: the value tags metrics, and a tag per made-up path would grow the
     * registry without bound.
     */
    static String sourceOf(String path) {
        String[] segments = path.split("/");
        if (segments.length > 2 && "hooks".equals(segments[1])) {
            return switch (segments[2]) {
                case "xsibackup", "retrospect", "stoney" -> segments[2];
                default -> "unknown";
            };
        }
        if (path.equals("/api/v1/events")) {
            return "generic";
        }
        return segments.length > 1 && "ping".equals(segments[1]) ? "healthchecks" : "unknown";
    }
}
