package dev.vigil.console.web;

import java.nio.charset.StandardCharsets;
import dev.vigil.model.JobKey;
import org.springframework.web.util.UriUtils;

/** How the console links to a job. */
public final class Paths {

    private Paths() {
    }

    /**
     * The console page of a job given as {@code tenant/account/job}: {@code /job/<id>} with the key's
     * {@link JobKey#urlId()}, so any job name reaches its page; an account-wide alert's job {@code *} is the account's
     * jobs, {@code /jobs?account=…}.
     */
    public static String jobPage(String jobKey) {
        String[] parts = jobKey.split("/", 3);
        if (parts.length < 3) {
            return "/jobs";
        }
        if (parts[2].equals("*")) {
            return "/jobs?account=" + UriUtils.encodeQueryParam(parts[1], StandardCharsets.UTF_8);
        }
        return "/job/" + JobKey.parse(jobKey).urlId();
    }
}
