package dev.vigil.model;

import java.util.Objects;

/**
 * Identity of one backup job: {@code tenant/account/job}. It is the Kafka key of {@code backup.events}, so
 * every event of a job lands on one partition and one rules instance owns the job's state.
 */
public record JobKey(String tenant, String account, String job) {

    public JobKey {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(job, "job");
    }

    /** Parses the string form written by {@link #asString()}; the job name may itself contain '/'. */
    public static JobKey parse(String value) {
        String[] parts = value.split("/", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("a job key is tenant/account/job, got: " + value);
        }
        return new JobKey(parts[0], parts[1], parts[2]);
    }

    /** Longest tenant, account or job name, in characters; longer ones are shortened by {@link #bounded()}. */
    public static final int NAME_LIMIT = 512;

    /**
     * This key with each part fit to be a name ({@link Text#name}): no control or invisible characters, at most
     * {@link #NAME_LIMIT} characters, a longer name shortened to its head and a digest of the whole (an XSIBackup job
     * over hundreds of VMs stays one job of its own). {@code this} when nothing needed to change.
     */
    public JobKey bounded() {
        JobKey bounded = new JobKey(Text.name(tenant, NAME_LIMIT), Text.name(account, NAME_LIMIT),
                Text.name(job, NAME_LIMIT));
        return bounded.equals(this) ? this : bounded;
    }

    public String asString() {
        return tenant + "/" + account + "/" + job;
    }

    /**
     * This key as one URL path segment: {@link #asString()} in UTF-8, base64url without padding (RFC 4648 §5). A job
     * name may hold {@code /}, {@code ..}, {@code %} or {@code ;}, which servers and browsers rewrite in a path; this
     * form has none of them, so a link to a job (a mail's, the console's) reaches exactly that job.
     */
    public String urlId() {
        return java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(asString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The key of a {@link #urlId()}.
     *
     * @throws IllegalArgumentException when {@code id} is not base64url or not a job key
     */
    public static JobKey fromUrlId(String id) {
        byte[] bytes = java.util.Base64.getUrlDecoder().decode(id);
        return parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    }
}
