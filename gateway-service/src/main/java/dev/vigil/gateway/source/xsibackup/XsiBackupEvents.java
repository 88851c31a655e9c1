package dev.vigil.gateway.source.xsibackup;

import dev.vigil.gateway.registration.Registration;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.ErrorInfo;
import dev.vigil.model.EventType;
import dev.vigil.model.JobKey;
import dev.vigil.model.Measures;
import dev.vigil.model.Outcome;
import dev.vigil.model.Source;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Maps a decoded XSIBackup payload onto a {@link BackupEvent}: one finished run of one job (VM list). */
final class XsiBackupEvents {

    /** Durations beyond this are not durations: most likely an epoch. Kept raw, never trusted. */
    private static final long SUSPICIOUS_SECONDS = 1_000_000_000L;
    private static final Pattern EXIT_CODE = Pattern.compile("Exit code:\\s*(-?\\d+)");

    private XsiBackupEvents() {
    }

    static BackupEvent toEvent(Registration registration, Outcome outcome, XsiBackupDecoder.Payload payload,
                               String rawQuery, Instant receivedAt) {
        String vms = XsiBackupDecoder.option(payload.cmd(), "backup-vms");
        String job = vms != null && !vms.isEmpty() ? vms
                : registration.job() != null ? registration.job() : "xsibackup";

        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("host", registration.id());
        put(attributes, "pid", payload.pid());
        put(attributes, "vms", vms);
        put(attributes, "cmd", payload.cmd());
        put(attributes, "backupPoint", XsiBackupDecoder.option(payload.cmd(), "backup-point"));
        put(attributes, "backupType", XsiBackupDecoder.option(payload.cmd(), "backup-type"));
        payload.extras().forEach((key, value) -> attributes.put("extra." + key, value));
        if (!payload.duplicateKeys().isEmpty()) {
            attributes.put("duplicateKeys", String.join(",", payload.duplicateKeys()));
        }

        Long duration = parseDuration(payload.t(), attributes);
        List<String> errorLines = XsiBackupDecoder.errorLines(payload.err());
        ErrorInfo error = payload.err() == null && outcome != Outcome.FAILED ? null
                : new ErrorInfo(exitCode(payload.err()), payload.err());

        // Same host, PID and outcome: the same run reported again (a retried GET), recognised downstream.
        String id = payload.pid() == null ? "xsibackup-" + UUID.randomUUID()
                : "xsibackup-" + registration.id() + "-" + payload.pid() + "-" + outcome.name().toLowerCase();
        return new BackupEvent(id, Source.XSIBACKUP, EventType.BACKUP_FINISHED, outcome, receivedAt, receivedAt,
                new JobKey(registration.tenant(), registration.account(), job), payload.pid(),
                new Measures(null, null, duration, payload.err() == null ? null : errorLines.size(), null, null),
                error, attributes, rawQuery);
    }

    private static Long parseDuration(String t, Map<String, String> attributes) {
        if (t == null || t.isBlank()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(t.strip());
            if (seconds >= 0 && seconds < SUSPICIOUS_SECONDS) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // kept raw below
        }
        attributes.put("t.raw", t);
        return null;
    }

    private static String exitCode(String err) {
        if (err == null) {
            return null;
        }
        Matcher matcher = EXIT_CODE.matcher(err);
        return matcher.find() ? matcher.group(1) : null;
    }

    private static void put(Map<String, String> attributes, String key, String value) {
        if (value != null) {
            attributes.put(key, value);
        }
    }
}
