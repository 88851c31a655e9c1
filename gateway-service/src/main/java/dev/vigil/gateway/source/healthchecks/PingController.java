package dev.vigil.gateway.source.healthchecks;

import dev.vigil.gateway.ingest.BodyText;
import dev.vigil.gateway.ingest.ClientTime;
import dev.vigil.gateway.ingest.EventPublisher;
import dev.vigil.gateway.ingest.HookRejectedException;
import dev.vigil.gateway.ingest.IngestPipeline;
import dev.vigil.gateway.registration.Registration;
import dev.vigil.gateway.registration.Registrations;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.ErrorInfo;
import dev.vigil.model.EventType;
import dev.vigil.model.JobKey;
import dev.vigil.model.Outcome;
import dev.vigil.model.Source;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * healthchecks.io's Pinging API, so borgmatic, runitor, restic wrappers and cron scripts report to Vigil unchanged.
 * The routes and answers follow healthchecks' own implementation ({@code hc/api/urls.py}, {@code views.ping}):
 * <ul>
 *   <li>{@code /ping/<uuid>} success, {@code /start}, {@code /fail}, {@code /log}, {@code /<exit-status>} (0 is
 *       success, 1–255 failure), each with or without a trailing slash, by any method (HEAD, GET, POST, PUT, …);</li>
 *   <li>{@code 200 OK} with {@code Ping-Body-Limit} and {@code Access-Control-Allow-Origin: *};</li>
 *   <li>{@code /ping/<ping-key>/<slug>[/<kind>]}: a check of a ping key registration by its slug, and
 *       {@code ?create=1} auto-provisioning ({@code 201 Created}) where the registration allows it;</li>
 *   <li>{@code 404 not found}: an unknown UUID, ping key or slug, an unknown kind ({@code /ping/<uuid>/starts}), a
 *       negative exit status (the reason is in {@code X-Vigil-Reason} and on {@code backup.rejected});</li>
 *   <li>{@code 400 invalid url format}: an exit status above 255; {@code 400 invalid uuid format}: a {@code rid}
 *       that is not a lowercase UUID. A request that does not validate is never taken with a default meaning.</li>
 * </ul>
 * The body is read raw before anything looks at parameters (which come from the query string only), decoded by
 * {@link BodyText} whatever its Content-Type, and kept as the event's {@code log} (head and tail when over
 * {@value #BODY_LIMIT} bytes); a failure's reason is the log's last error line. Vigil's own addition is
 * {@code ?ts=}, when the run happened ({@link ClientTime}).
 */
@RestController
class PingController {

    private static final String SOURCE = "healthchecks";
    static final int BODY_LIMIT = BodyText.HEAD_BYTES + BodyText.TAIL_BYTES;
    /** healthchecks' {@code is_valid_uuid_string}: the lowercase canonical form only. */
    private static final Pattern RID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern EXIT_STATUS = Pattern.compile("[0-9]{1,64}");
    /** Django's {@code <slug:>} path converter, which healthchecks' slug routes use. */
    private static final Pattern SLUG = Pattern.compile("[-a-zA-Z0-9_]{1,100}");
    /** A kind appended after a query ({@code ?create=1/start}): {@link #queryKind}. */
    /*
     * Only after the value of a parameter of the ping API itself (create=1/fail, rid=<uuid>/start, ts=<time>/0), the
     * last of the query: what follows any other parameter's value is that value (dir=/var/log, ref=hotfix/7), and the
     * ping is a success, as healthchecks reads it. None of the three values has a '/' of its own, so whatever follows
     * one is a path the client appended, read as the same segments in the path are: a kind, or refused (FAIL, +1,
     * 0x1, fail/start), never taken as a success. A query the client appended after its kind (/0?rid=<uuid>) is not
     * part of the kind: its parameters are read with the others.
     */
    private static final Pattern QUERY_KIND = Pattern.compile("(?:^|&)(?:create|rid|ts)=[^&/]*+(/([^&?]*?)/?(?:\\?.*+)?)$");
    private static final int REASON_LIMIT = 300;
    static final String NOT_FOUND = "not found";

    private final Registrations registrations;
    private final EventPublisher publisher;
    private final IngestPipeline pipeline;

    PingController(Registrations registrations, EventPublisher publisher, IngestPipeline pipeline) {
        this.registrations = registrations;
        this.publisher = publisher;
        this.pipeline = pipeline;
    }

    @RequestMapping(path = {"/ping/{uuid}", "/ping/{uuid}/"})
    ResponseEntity<String> success(@PathVariable String uuid, HttpServletRequest request) {
        return byUuid(uuid, queryKind(request), request);
    }

    /** {@code /ping/<uuid>/<kind>}, or a ping key's {@code /ping/<ping-key>/<slug>} (healthchecks' URL order). */
    @RequestMapping(path = {"/ping/{uuid}/{kind}", "/ping/{uuid}/{kind}/"})
    ResponseEntity<String> kind(@PathVariable String uuid, @PathVariable String kind, HttpServletRequest request) {
        if (Kind.of(kind) != null && (RID.matcher(uuid).matches()
                || registrations.authenticate(Source.HEALTHCHECKS, uuid).isPresent())) {
            return byUuid(uuid, kind, request);
        }
        return bySlug(uuid, kind, queryKind(request), request);
    }

    /** {@code /ping}, {@code /ping/}, {@code /ping/<uuid>//} and any other path under it: healthchecks' plain 404. */
    @RequestMapping(path = {"/ping", "/ping/", "/ping/**"})
    ResponseEntity<String> elsewhere() {
        throw HookRejectedException.unauthenticated(HttpStatus.NOT_FOUND, SOURCE,
                "not found: no ping route matches this path", NOT_FOUND);
    }

    /** {@code /ping/<ping-key>/<slug>/<kind>}: a check of a ping key registration by its slug. */
    @RequestMapping(path = {"/ping/{key}/{slug}/{kind}", "/ping/{key}/{slug}/{kind}/"})
    ResponseEntity<String> slug(@PathVariable String key, @PathVariable String slug, @PathVariable String kind,
                                HttpServletRequest request) {
        return bySlug(key, slug, kind, request);
    }

    /** What a ping's kind segment says: {@code ""} success, start, fail, log, or an exit status. */
    private record Kind(EventType type, Outcome outcome, Integer exitStatus, String name) {

        static Kind of(String kind) {
            return switch (kind) {
                case "" -> new Kind(EventType.BACKUP_FINISHED, Outcome.SUCCESS, null, "success");
                case "start" -> new Kind(EventType.BACKUP_STARTED, Outcome.NONE, null, kind);
                case "fail" -> new Kind(EventType.BACKUP_FINISHED, Outcome.FAILED, null, kind);
                case "log" -> new Kind(EventType.LOG, Outcome.NONE, null, kind);
                default -> {
                    if (!EXIT_STATUS.matcher(kind).matches()) {
                        yield null;
                    }
                    String digits = kind.replaceFirst("^0+(?=.)", ""); // healthchecks' int converter: 0000 is 0
                    int status = digits.length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(digits);
                    yield new Kind(EventType.BACKUP_FINISHED, status == 0 ? Outcome.SUCCESS : Outcome.FAILED, status, kind);
                }
            };
        }
    }

    private ResponseEntity<String> byUuid(String uuid, String kind, HttpServletRequest request) {
        Instant receivedAt = Instant.now();
        Kind parsed = Kind.of(kind);
        if (parsed == null) {
            // healthchecks reads /ping/<x>/<y> it cannot route as a slug URL: not found
            throw HookRejectedException.unauthenticated(HttpStatus.NOT_FOUND, SOURCE,
                    "not found: no ping registration has this UUID", NOT_FOUND);
        }
        // who it is before anything of the call is read: an unknown UUID is refused, counted and only sampled
        Registration registration = registrations.authenticate(Source.HEALTHCHECKS, uuid).orElseThrow(() ->
                HookRejectedException.unauthenticated(HttpStatus.NOT_FOUND, SOURCE,
                        "not found: no ping registration has this UUID", NOT_FOUND));
        String job = registration.job() == null ? "ping" : registration.job();
        return record(registration, job, null, parsed, kind, uuid, null, receivedAt, request);
    }

    /**
     * healthchecks' slug URLs: the ping key of a registration made with {@code pingKey}, the check by its slug (the
     * job). An unknown slug is {@code 404 not found}, unless the call says {@code ?create=1} and the registration
     * allows auto-provisioning: then the check is made and the answer is {@code 201 Created}. A slug with capitals
     * is {@code 400 invalid url format}; other characters do not route ({@code 404}).
     */
    private ResponseEntity<String> bySlug(String key, String slug, String kind, HttpServletRequest request) {
        Instant receivedAt = Instant.now();
        Kind parsed = Kind.of(kind);
        var pingKey = registrations.pingKey(key).orElseThrow(() -> HookRejectedException.unauthenticated(
                HttpStatus.NOT_FOUND, SOURCE, "not found: no ping key registration has this key", NOT_FOUND));
        if (parsed == null || !SLUG.matcher(slug).matches()) {
            throw new HookRejectedException(HttpStatus.NOT_FOUND, SOURCE, "not found: no ping route matches this path",
                    null, NOT_FOUND);
        }
        if (!slug.equals(slug.toLowerCase(java.util.Locale.ROOT))) {
            throw new HookRejectedException(HttpStatus.BAD_REQUEST, SOURCE, "invalid url format: slug '" + slug
                    + "' is not lowercase", null, "invalid url format");
        }
        boolean create = false;
        if (!registrations.hasSlug(pingKey, slug)) {
            if (!"1".equals(queryParameter(request, "create"))) {
                throw new HookRejectedException(HttpStatus.NOT_FOUND, SOURCE, "not found: ping key " + pingKey.id()
                        + " has no check '" + slug + "' (add ?create=1 to make it)", null, NOT_FOUND);
            }
            if (!registrations.mayCreate(pingKey)) {
                throw new HookRejectedException(HttpStatus.NOT_FOUND, SOURCE, "not found: ping key " + pingKey.id()
                        + " has no check '" + slug + "' and may not make one (autoProvision is off or its "
                        + "checks are at the limit)", null, NOT_FOUND);
            }
            create = true;
        }
        return record(pingKey.registration(), slug, slug, parsed, kind, key, create ? pingKey : null, receivedAt,
                request);
    }

    private ResponseEntity<String> record(Registration registration, String job, String slug, Kind parsed, String kind,
                                          String secret, Registrations.PingKey creating, Instant receivedAt,
                                          HttpServletRequest request) {
        // the body is read (head and tail, any size) before anything parses parameters
        pipeline.accept(registration, slug, receivedAt, new IngestPipeline.Input.HeadAndTail(), request,
                call -> toEvent(call, job, slug, parsed, kind, secret, creating));
        return ResponseEntity.status(creating == null ? HttpStatus.OK : HttpStatus.CREATED)
                .contentType(MediaType.TEXT_PLAIN)
                .header("Ping-Body-Limit", Integer.toString(BODY_LIMIT))
                .header("Access-Control-Allow-Origin", "*")
                .header(org.springframework.http.HttpHeaders.CACHE_CONTROL, dev.vigil.gateway.web.Paths.NEVER_CACHE)
                .body(creating == null ? "OK" : "Created");
    }

    private BackupEvent toEvent(IngestPipeline.Call call, String job, String slug, Kind parsed, String kind,
                                String secret, Registrations.PingKey creating) {
        Registration registration = call.registration();
        HttpServletRequest request = call.request();
        Instant receivedAt = call.receivedAt();
        String text = call.text();
        EventType type = parsed.type();
        Outcome outcome = parsed.outcome();
        Integer exitStatus = parsed.exitStatus();
        if (exitStatus != null && exitStatus > 255) { // healthchecks looks the check up first, then the status
            throw new HookRejectedException(HttpStatus.BAD_REQUEST, SOURCE, "invalid url format: exit status " + kind
                    + " is above 255", text, "invalid url format");
        }
        String rid = queryParameter(request, "rid");
        if (rid != null && !RID.matcher(rid).matches()) {
            throw new HookRejectedException(HttpStatus.BAD_REQUEST, SOURCE, "invalid uuid format: rid '" + rid
                    + "' is not a lowercase UUID", text, "invalid uuid format");
        }
        // ?ts=<Unix seconds or RFC 3339>: when the run happened, for a ping a client held back (retries, a queue)
        ClientTime.Reading time = ClientTime.read(queryParameter(request, "ts"), receivedAt);
        if (time instanceof ClientTime.Unreadable) {
            throw new HookRejectedException(HttpStatus.BAD_REQUEST, SOURCE,
                    "ts must be Unix seconds or an RFC 3339 time", text);
        }
        if (creating != null) {
            registrations.createSlug(creating, job, publisher.publishTimeout());
        }

        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("method", request.getMethod());
        if (!text.isEmpty()) {
            attributes.put("log", text);
        }
        if (call.truncated()) {
            attributes.put("logTruncated", "true");
            attributes.put("logBytes", Long.toString(call.totalBytes()));
        }
        if (exitStatus != null) {
            attributes.put("exitStatus", exitStatus.toString());
        }
        if (time instanceof ClientTime.Ignored ignored) {
            attributes.put("ts.ignored", ignored.value());
        }
        ErrorInfo error = null;
        if (outcome == Outcome.FAILED) {
            String reason = BodyText.reason(text, REASON_LIMIT);
            String status = exitStatus == null ? null : "exit status " + exitStatus;
            error = new ErrorInfo(exitStatus == null ? null : exitStatus.toString(),
                    reason != null ? reason : status != null ? status : "the job reported a failure");
        }
        Instant occurredAt = time instanceof ClientTime.Used used ? used.at() : receivedAt;
        // A retried call (runitor's, curl --retry) is the same event: the same rid and kind, and the same ts where it
        // has one. Without a ts the rules take the same id for a retry only within a short time of the first (a client
        // may reuse a rid for every run: healthchecks lets it pick them "using a deterministic process"); a run may
        // send many logs, so a log is never a retry.
        String id = rid == null || type == EventType.LOG ? "hc-" + UUID.randomUUID() : "hc-" + registration.id() + "-"
                + (slug == null ? "" : slug + "-") + rid + "-" + parsed.name()
                + (time instanceof ClientTime.Used ? "-t" + occurredAt.toEpochMilli() : "");
        return new BackupEvent(id, Source.HEALTHCHECKS, type, outcome, occurredAt, receivedAt,
                new JobKey(registration.tenant(), registration.account(), job), rid, null, error, attributes,
                request.getRequestURI().replace(secret, "***") + (request.getQueryString() == null ? "" : "?" + request.getQueryString()));
    }

    /**
     * The kind a client appended to a ping URL that already had a query: borgmatic and scripts build
     * {@code <ping_url>/<kind>}, so a {@code ping_url} of {@code …/db-backup?create=1} becomes
     * {@code …/db-backup?create=1/fail}. healthchecks reads that as a success with {@code create=1/fail}, and a failed
     * backup is told as a success; Vigil reads the kind the client meant: {@code start}, {@code fail}, {@code log} or
     * an exit status after the value of {@code create}, {@code rid} or {@code ts} when that is the query's last
     * parameter (any other parameter's value is a value, not a kind), else {@code ""} (success). What follows is
     * percent-decoded ({@code %66ail} is {@code fail}, as in a path); what only looks like a kind ({@code FAIL},
     * {@code +1}, {@code -0}, {@code 0x1}, {@code 1e2}, {@code fail/start}) is returned as it is, and refused as the
     * same segments in the path are.
     */
    static String queryKind(HttpServletRequest request) {
        String query = request.getQueryString();
        Matcher tail = query == null ? null : QUERY_KIND.matcher(query);
        if (tail == null || !tail.find()) {
            return "";
        }
        try {
            // percent-decoded as the container decodes a path segment ('+' stays itself: /ping/<uuid>/+1 is refused)
            return org.springframework.web.util.UriUtils.decode(tail.group(2), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return tail.group(2); // a broken escape: no kind, refused as such
        }
    }

    /**
     * The query string without a kind a client appended to it ({@link #queryKind}), with the parameters of a query
     * appended after that kind; {@code null} when none.
     */
    private static String query(HttpServletRequest request) {
        String query = request.getQueryString();
        Matcher tail = query == null ? null : QUERY_KIND.matcher(query);
        if (tail == null || !tail.find()) {
            return query;
        }
        // a query the client appended after its kind (/0?rid=<uuid>) is read as parameters too
        int appended = tail.group(1).indexOf('?');
        return query.substring(0, tail.start(1)) + (appended < 0 ? "" : "&" + tail.group(1).substring(appended + 1));
    }

    /** A parameter of the query string alone (never of the body, which is the job's log). */
    private static String queryParameter(HttpServletRequest request, String name) {
        String query = query(request);
        if (query == null) {
            return null;
        }
        String value = UriComponentsBuilder.newInstance().query(query).build().getQueryParams().getFirst(name);
        if (value == null) {
            return null;
        }
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value; // a stray '%': validated as it is
        }
    }
}
