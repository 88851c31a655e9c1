package dev.vigil.console.web;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.web.util.UriUtils;

/** How the console names a job in a path: {@code tenant/account/job}, each segment percent-encoded (RFC 3986 §3.3). */
public final class Paths {

    private Paths() {
    }

    /**
     * {@code tenant/account/job} with every {@code /}-separated segment encoded on its own, so a job name with
     * {@code /} (Retrospect's {@code Daily/My Computer/Mac HD}) keeps its slashes as path separators.
     */
    public static String job(String tenant, String account, String job) {
        return segment(tenant) + "/" + segment(account) + "/" + Arrays.stream(job.split("/", -1))
                .map(Paths::segment).collect(Collectors.joining("/"));
    }

    /** The console page of a job, e.g. {@code /jobs/demo/3723707/WIN7%2CERP01}. */
    public static String jobPage(String jobKey) {
        String[] parts = jobKey.split("/", 3);
        return parts.length < 3 ? "/jobs" : "/jobs/" + job(parts[0], parts[1], parts[2]);
    }

    private static String segment(String value) {
        return UriUtils.encodePathSegment(value, StandardCharsets.UTF_8);
    }
}
