package dev.vigil.gateway.source.retrospect;

import dev.vigil.model.BackupEvent;
import dev.vigil.model.ErrorInfo;
import dev.vigil.model.EventType;
import dev.vigil.model.JobKey;
import dev.vigil.model.Measures;
import dev.vigil.model.Outcome;
import dev.vigil.model.Source;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps one {@code RetroEventHandler <event> <args…>} call onto a {@link BackupEvent} (source spec §1). The 16
 * events and their legacy aliases; positional arguments typed (locale dates, KB, seconds, minutes, negative
 * error codes); Windows quotes stripped; missing arguments flagged {@code malformed}, never refused; an unknown
 * event kept as {@link EventType#UNKNOWN} with its raw arguments.
 */
final class RetrospectEvents {

    /** One event's name, canonical type and positional argument names; a trailing "if" may be missing. */
    private record Spec(String name, EventType type, List<String> args) {
    }

    private static final Map<String, Spec> SPECS = new LinkedHashMap<>();
    private static final Map<String, String> ALIASES = Map.of(
            "schedstop", "StopSched", "appstart", "StartApp", "append", "EndApp",
            "backupserverstart", "StartBackupServer", "backupserverstop", "StopBackupServer",
            "mediarequesttimedout", "TimedOutMediaRequest", "stopsource", "EndSource");

    static {
        spec("StartApp", EventType.APP_STARTED, "eventDate", "autoLaunched", "if");
        spec("EndApp", EventType.APP_STOPPED, "eventDate");
        spec("StartBackupServer", EventType.SERVER_STARTED, "eventDate", "if");
        spec("StopBackupServer", EventType.SERVER_STOPPED, "eventDate");
        spec("StartScript", EventType.BACKUP_STARTED, "scriptName", "eventDate", "if");
        spec("EndScript", EventType.BACKUP_FINISHED, "scriptName", "numErrors", "fatalErrCode", "fatalErrMsg");
        spec("AnomalyAlert", EventType.ANOMALY, "scriptName", "volName", "sourcePath", "clientName", "selectorName",
                "watchedFiles", "checkFiles", "checkWatchedPct", "if");
        spec("StartSource", EventType.SOURCE_STARTED, "scriptName", "volName", "sourcePath", "clientName", "if");
        spec("EndSource", EventType.SOURCE_FINISHED, "scriptName", "sourceName", "sourcePath", "clientName",
                "kbBackedUp", "numFiles", "duration", "sourceStart", "sourceEnd", "scriptStart", "backupSet",
                "backupAction", "parentVol", "numErrors", "fatalErrCode", "fatalErrMsg");
        spec("MediaRequest", EventType.MEDIA_REQUEST, "backupSet", "memberName", "mediaIsKnown", "waited", "if");
        spec("TimedOutMediaRequest", EventType.MEDIA_REQUEST_TIMED_OUT, "backupSet", "memberName", "mediaIsKnown",
                "waited", "if");
        spec("ScriptCheckFailed", EventType.SCRIPT_CHECK_FAILED, "scriptName", "startDate", "reason", "errCode", "errMsg");
        spec("NextExec", EventType.NEXT_EXECUTION, "scriptName", "startDate");
        spec("StopSched", EventType.SCHEDULED_STOP, "scriptName", "stopDate", "if");
        spec("PasswordEntry", EventType.LOGIN, "objectStr", "attempts", "errCode", "errMsg");
        spec("FatalBackupError", EventType.FATAL_ERROR, "scriptName", "failureCause", "errCode", "errMsg", "errZone", "if");
    }

    private static void spec(String name, EventType type, String... args) {
        SPECS.put(name.toLowerCase(Locale.ROOT), new Spec(name, type, List.of(args)));
    }

    private RetrospectEvents() {
    }

    /** The event name as the samples dispatch it, after aliases; {@code null} for an unknown event. */
    static String canonicalName(String event) {
        String key = event.toLowerCase(Locale.ROOT);
        Spec spec = SPECS.get(ALIASES.getOrDefault(key, key).toLowerCase(Locale.ROOT));
        return spec == null ? null : spec.name();
    }

    /**
     * @param argv       the handler's arguments, the event name first
     * @param defaultJob the job of events that belong to no script (application, server, media)
     */
    static BackupEvent toEvent(String id, List<String> argv, String host, String platform, String tenant,
                               String account, String defaultJob, ZoneId zone, Instant receivedAt, String raw) {
        List<String> args = new ArrayList<>();
        argv.forEach(a -> args.add(unquote(a)));
        String event = args.isEmpty() ? "" : args.remove(0);
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("event", event);
        if (host != null && !host.isBlank()) {
            attributes.put("host", host);
        }
        if (platform != null && !platform.isBlank()) {
            attributes.put("platform", platform);
        }
        String name = canonicalName(event);
        if (name == null) {
            attributes.put("argv", String.join("\u001f", args));
            return new BackupEvent(id, Source.RETROSPECT, EventType.UNKNOWN, Outcome.NONE, receivedAt, receivedAt,
                    new JobKey(tenant, account, defaultJob), null, null, null, attributes, raw);
        }
        Spec spec = SPECS.get(name.toLowerCase(Locale.ROOT));
        if (!name.equals(event)) {
            attributes.put("alias", event);
        }
        Map<String, String> a = bind(spec, args, attributes);
        return switch (name) {
            case "FatalBackupError" -> fatalBackupError(id, a, args, tenant, account, zone, receivedAt, attributes, raw);
            default -> build(id, spec, a, tenant, account, defaultJob, zone, receivedAt, attributes, raw);
        };
    }

    /** Names the positional arguments; too few → malformed (a missing trailing IF is tolerated), too many → extraArgs. */
    private static Map<String, String> bind(Spec spec, List<String> args, Map<String, String> attributes) {
        Map<String, String> named = new LinkedHashMap<>();
        List<String> names = spec.args();
        for (int i = 0; i < names.size() && i < args.size(); i++) {
            named.put(names.get(i), args.get(i));
        }
        int required = names.get(names.size() - 1).equals("if") ? names.size() - 1 : names.size();
        if (spec.name().equals("FatalBackupError")) {
            required = 4; // the SH/RB harness passes only four (§1.5)
        }
        if (args.size() < required) {
            attributes.put("malformed", "true");
            attributes.put("missingArgs", String.join(",", names.subList(args.size(), required)));
        }
        if (args.size() > names.size()) {
            attributes.put("extraArgs", String.join("\u001f", args.subList(names.size(), args.size())));
        }
        return named;
    }

    private static BackupEvent build(String id, Spec spec, Map<String, String> a, String tenant, String account,
                                     String defaultJob, ZoneId zone, Instant receivedAt, Map<String, String> attributes,
                                     String raw) {
        Instant occurredAt = receivedAt;
        String job = defaultJob;
        Outcome outcome = Outcome.NONE;
        ErrorInfo error = null;
        Measures measures = null;
        String script = a.get("scriptName");
        if (script != null && !script.isEmpty()) {
            job = script;
        }
        switch (spec.name()) {
            case "StartApp" -> {
                occurredAt = date(a.get("eventDate"), zone, receivedAt, attributes);
                put(attributes, "autoLaunched", bool(a.get("autoLaunched")));
            }
            case "EndApp", "StartBackupServer", "StopBackupServer", "StartScript" ->
                    occurredAt = date(a.get("eventDate"), zone, receivedAt, attributes);
            case "EndScript" -> {
                Long errors = number(a.get("numErrors"), attributes, "numErrors");
                String code = a.get("fatalErrCode");
                outcome = verdict(code, errors);
                error = outcome == Outcome.SUCCESS || outcome == Outcome.NONE ? null : new ErrorInfo(code, a.get("fatalErrMsg"));
                measures = new Measures(null, null, null, count(errors, attributes, "numErrors"), null, null);
            }
            case "AnomalyAlert" -> {
                String source = sourceName(a.get("clientName"), a.get("volName"));
                job = jobOf(script, source, defaultJob);
                put(attributes, "client", a.get("clientName"));
                put(attributes, "volume", a.get("volName"));
                put(attributes, "sourcePath", a.get("sourcePath"));
                put(attributes, "selector", a.get("selectorName"));
                // counts a file count can be and a share of 0-100 %; another value is kept aside, never in a message
                measure(attributes, "watchedFiles", a.get("watchedFiles"), Long.MAX_VALUE);
                measure(attributes, "changedFiles", a.get("checkFiles"), Long.MAX_VALUE);
                measure(attributes, "changedPercent", a.get("checkWatchedPct"), 100);
                outcome = Outcome.WARNING;
            }
            case "StartSource" -> {
                String source = sourceName(a.get("clientName"), a.get("volName"));
                job = jobOf(script, source, defaultJob);
                put(attributes, "client", a.get("clientName"));
                put(attributes, "volume", a.get("volName"));
                put(attributes, "sourcePath", a.get("sourcePath"));
            }
            case "EndSource" -> {
                String sourceName = a.get("sourceName");
                String[] split = splitSource(sourceName);
                String client = a.get("clientName") != null && !a.get("clientName").isEmpty() ? a.get("clientName") : split[0];
                job = jobOf(script, sourceName == null ? null : sourceName.replace('\\', '/'), defaultJob);
                put(attributes, "client", client);
                put(attributes, "volume", split[1]);
                put(attributes, "sourcePath", a.get("sourcePath"));
                put(attributes, "backupSet", a.get("backupSet"));
                put(attributes, "backupAction", a.get("backupAction"));
                put(attributes, "parentVolume", a.get("parentVol"));
                Long kb = number(a.get("kbBackedUp"), attributes, "kbBackedUp");
                Long files = number(a.get("numFiles"), attributes, "numFiles");
                Long seconds = number(a.get("duration"), attributes, "duration");
                Long errors = number(a.get("numErrors"), attributes, "numErrors");
                Instant start = RetrospectDates.parse(a.get("sourceStart"), zone).orElse(null);
                if (start != null) {
                    attributes.put("sourceStartedAt", start.toString());
                }
                occurredAt = date(a.get("sourceEnd"), zone, receivedAt, attributes);
                String code = a.get("fatalErrCode");
                outcome = verdict(code, errors);
                error = outcome == Outcome.SUCCESS || outcome == Outcome.NONE ? null : new ErrorInfo(code, a.get("fatalErrMsg"));
                measures = new Measures(kb == null || kb < 0 || kb > Long.MAX_VALUE / 1024 ? null : kb * 1024,
                        nonNegative(files), nonNegative(seconds), count(errors, attributes, "numErrors"), null, null);
            }
            case "MediaRequest", "TimedOutMediaRequest" -> {
                String set = a.get("backupSet");
                job = set != null && !set.isEmpty() ? set : defaultJob;
                put(attributes, "backupSet", set);
                put(attributes, "member", a.get("memberName"));
                put(attributes, "mediaIsKnown", bool(a.get("mediaIsKnown")));
                Long minutes = number(a.get("waited"), attributes, "waited");
                if (minutes != null) {
                    attributes.put("waitedMinutes", minutes.toString());
                }
                outcome = spec.name().equals("TimedOutMediaRequest") ? Outcome.WARNING : Outcome.NONE;
            }
            case "ScriptCheckFailed" -> {
                RetrospectDates.parse(a.get("startDate"), zone).ifPresent(t -> attributes.put("nextRunAt", t.toString()));
                put(attributes, "reason", a.get("reason"));
                error = new ErrorInfo(a.get("errCode"), a.get("errMsg"));
                outcome = Outcome.WARNING;
            }
            case "NextExec" ->
                    RetrospectDates.parse(a.get("startDate"), zone).ifPresent(t -> attributes.put("nextRunAt", t.toString()));
            case "StopSched" -> {
                occurredAt = date(a.get("stopDate"), zone, receivedAt, attributes);
                outcome = Outcome.WARNING;
            }
            case "PasswordEntry" -> {
                String object = a.get("objectStr");
                job = object != null && !object.isEmpty() ? object : defaultJob;
                Long attempts = number(a.get("attempts"), attributes, "attempts");
                if (attempts != null) {
                    attributes.put("attempts", attempts.toString());
                }
                String code = a.get("errCode");
                outcome = isZero(code) ? Outcome.SUCCESS : Outcome.FAILED;
                error = outcome == Outcome.SUCCESS ? null : new ErrorInfo(code, a.get("errMsg"));
            }
            default -> { }
        }
        put(attributes, "interventionFile", a.get("if"));
        return new BackupEvent(id, Source.RETROSPECT, spec.type(), outcome, occurredAt, receivedAt,
                new JobKey(tenant, account, job), null, measures, error, attributes, raw);
    }

    /**
     * FatalBackupError has 4, 5 or 6 arguments (§1.5): with 6 the last is the IF; with 5 the fifth is the IF when
     * it ends in {@code .reh}, else the error zone.
     */
    private static BackupEvent fatalBackupError(String id, Map<String, String> a, List<String> args, String tenant,
                                                String account, ZoneId zone, Instant receivedAt,
                                                Map<String, String> attributes, String raw) {
        String zoneArg = a.get("errZone");
        String interventionFile = a.get("if");
        if (args.size() == 5 && zoneArg != null && zoneArg.toLowerCase(Locale.ROOT).endsWith(".reh")) {
            interventionFile = zoneArg;
            zoneArg = null;
        }
        put(attributes, "errorZone", zoneArg);
        put(attributes, "interventionFile", interventionFile);
        put(attributes, "failureCause", a.get("failureCause"));
        String script = a.get("scriptName");
        return new BackupEvent(id, Source.RETROSPECT, EventType.FATAL_ERROR, Outcome.FAILED, receivedAt, receivedAt,
                new JobKey(tenant, account, script == null || script.isEmpty() ? "engine" : script), null, null,
                new ErrorInfo(a.get("errCode"), joinMessage(a.get("failureCause"), a.get("errMsg"))), attributes, raw);
    }

    private static String joinMessage(String cause, String message) {
        if (cause == null || cause.isEmpty()) {
            return message;
        }
        return message == null || message.isEmpty() ? cause : cause + ": " + message;
    }

    /** fatalErrCode ≠ 0 → FAILED; else numErrors > 0 → WARNING; else SUCCESS (§1.5). */
    /**
     * A run's verdict from its fatal error code and error count. A missing code is no verdict at all (NONE): a
     * malformed call must never resolve a failure as if the run had succeeded.
     */
    private static Outcome verdict(String code, Long errors) {
        if (code == null || code.isBlank()) {
            return Outcome.NONE;
        }
        if (!isZero(code)) {
            return Outcome.FAILED;
        }
        return errors != null && errors > 0 ? Outcome.WARNING : Outcome.SUCCESS;
    }

    private static boolean isZero(String code) {
        if (code == null || code.isBlank()) {
            return true;
        }
        try {
            return Long.parseLong(code.strip()) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A count that fits an int and is not negative; anything else is kept as {@code unparsed.<name>}. */
    private static Integer count(Long value, Map<String, String> attributes, String name) {
        if (value == null) {
            return null;
        }
        if (value < 0 || value > Integer.MAX_VALUE) {
            attributes.put("unparsed." + name, value.toString());
            return null;
        }
        return value.intValue();
    }

    private static Long nonNegative(Long value) {
        return value == null || value < 0 ? null : value;
    }

    private static Long number(String value, Map<String, String> attributes, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            attributes.put("unparsed." + name, value);
            return null;
        }
    }

    private static Instant date(String value, ZoneId zone, Instant receivedAt, Map<String, String> attributes) {
        Optional<Instant> parsed = RetrospectDates.parse(value, zone);
        if (parsed.isEmpty() && value != null) {
            attributes.put("unparsedDate", value);
        }
        return parsed.orElse(receivedAt);
    }

    private static String bool(String value) {
        return value == null ? null : Boolean.toString("true".equalsIgnoreCase(value.strip()));
    }

    /** {@code "My Computer/Mac HD"} or {@code "My Computer\C:"} → client, volume (split on the first separator). */
    private static String[] splitSource(String sourceName) {
        if (sourceName == null) {
            return new String[] {null, null};
        }
        int sep = -1;
        for (int i = 0; i < sourceName.length(); i++) {
            char c = sourceName.charAt(i);
            if (c == '/' || c == '\\') {
                sep = i;
                break;
            }
        }
        return sep < 0 ? new String[] {null, sourceName}
                : new String[] {sourceName.substring(0, sep), sourceName.substring(sep + 1)};
    }

    private static String sourceName(String client, String volume) {
        if (volume == null || volume.isEmpty()) {
            return client;
        }
        return client == null || client.isEmpty() ? volume : client + "/" + volume;
    }

    /** A source's job is its script's job and the source: {@code Daily Backup/My Computer/Mac HD}. */
    private static String jobOf(String script, String source, String defaultJob) {
        String base = script == null || script.isEmpty() ? defaultJob : script;
        return source == null || source.isEmpty() ? base : base + "/" + source;
    }

    /** Windows hands every argument over in double quotes: strip one surrounding pair. */
    static String unquote(String arg) {
        if (arg != null && arg.length() >= 2 && arg.charAt(0) == '"' && arg.charAt(arg.length() - 1) == '"') {
            return arg.substring(1, arg.length() - 1);
        }
        return arg == null ? "" : arg;
    }

    /**
     * Puts {@code value} under {@code key} when it is a number from 0 to {@code max} (a count, or a percentage with a
     * fraction), as sent; else (negative, {@code NaN}, text, over {@code max}) under {@code key.ignored}.
     */
    private static void measure(Map<String, String> attributes, String key, String value, long max) {
        if (value == null) {
            return;
        }
        String text = value.strip();
        boolean usable = text.matches("\\d{1,19}(\\.\\d{1,6})?") // digits only: BigDecimal reads every such text
                && new java.math.BigDecimal(text).compareTo(java.math.BigDecimal.valueOf(max)) <= 0;
        attributes.put(usable ? key : key + ".ignored", value);
    }

    private static void put(Map<String, String> attributes, String key, String value) {
        if (value != null) {
            attributes.put(key, value);
        }
    }
}
