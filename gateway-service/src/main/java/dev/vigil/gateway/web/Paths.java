package dev.vigil.gateway.web;

/** Request paths as they may be logged: the token segment of a hook URL is masked. */
final class Paths {

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

    static String sourceOf(String path) {
        String[] segments = path.split("/");
        if (segments.length > 2 && "hooks".equals(segments[1])) {
            return segments[2];
        }
        return segments.length > 1 ? segments[1] : "unknown";
    }
}
