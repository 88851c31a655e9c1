package dev.vigil.gateway.source.healthchecks;

import dev.vigil.gateway.ingest.ClientTime;
import dev.vigil.gateway.ingest.EventPublisher;
import dev.vigil.gateway.ingest.HookRejectedException;
import dev.vigil.gateway.registration.Registration;
import dev.vigil.gateway.registration.Registrations;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.ErrorInfo;
import dev.vigil.model.EventType;
import dev.vigil.model.JobKey;
import dev.vigil.model.Outcome;
import dev.vigil.model.Source;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * healthchecks.io's ping API, so borgmatic, runitor, restic wrappers and cron scripts report to Vigil unchanged:
 * {@code /ping/<uuid>} (success), {@code /start}, {@code /fail}, {@code /<exit-status>}, {@code /log}, with
 * {@code ?rid=}, by HEAD, GET or POST. As healthchecks does, it answers {@code 200 OK} and an unknown uuid
 * {@code 404 not found} (as plain text, see HookProblems); a POST body (the job's log) is kept up to 100 kB, the rest cut and flagged.
 */
@RestController
class PingController {

    private static final String SOURCE = "healthchecks";
    private static final int BODY_LIMIT = 100_000;
    private static final Pattern RID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final Registrations registrations;
    private final EventPublisher publisher;

    PingController(Registrations registrations, EventPublisher publisher) {
        this.registrations = registrations;
        this.publisher = publisher;
    }

    @RequestMapping(path = "/ping/{uuid}", method = {RequestMethod.GET, RequestMethod.POST, RequestMethod.HEAD},
            produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> success(@PathVariable String uuid, @RequestParam(required = false) String rid,
                                   HttpServletRequest request) {
        return ping(uuid, "success", rid, queryParameter(request, "ts"), request);
    }

    /** A parameter of the query string alone (never of the body, which is the job's log). */
    private static String queryParameter(HttpServletRequest request, String name) {
        String query = request.getQueryString();
        if (query == null) {
            return null;
        }
        String value = org.springframework.web.util.UriComponentsBuilder.newInstance().query(query).build()
                .getQueryParams().getFirst(name);
        return value == null ? null : java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    @RequestMapping(path = "/ping/{uuid}/{kind}", method = {RequestMethod.GET, RequestMethod.POST, RequestMethod.HEAD},
            produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> ping(@PathVariable String uuid, @PathVariable String kind,
                                @RequestParam(required = false) String rid, HttpServletRequest request) {
        return ping(uuid, kind, rid, queryParameter(request, "ts"), request);
    }

    private ResponseEntity<String> ping(String uuid, String kind, String rid, String ts, HttpServletRequest request) {
        Instant receivedAt = Instant.now();
        Body body = readBody(request);
        Registration registration;
        try {
            registration = registrations.require(Source.HEALTHCHECKS, uuid, body.text());
        } catch (HookRejectedException e) {
            if (e.status() != HttpStatus.UNAUTHORIZED) {
                throw e;
            }
            throw new HookRejectedException(HttpStatus.NOT_FOUND, SOURCE, "not found", body.text());
        }

        EventType type;
        Outcome outcome;
        ErrorInfo error = null;
        switch (kind) {
            case "success" -> { type = EventType.BACKUP_FINISHED; outcome = Outcome.SUCCESS; }
            case "start" -> { type = EventType.BACKUP_STARTED; outcome = Outcome.NONE; }
            case "fail" -> { type = EventType.BACKUP_FINISHED; outcome = Outcome.FAILED; }
            case "log" -> { type = EventType.LOG; outcome = Outcome.NONE; }
            default -> {
                int status = exitStatus(kind, body.text());
                type = EventType.BACKUP_FINISHED;
                outcome = status == 0 ? Outcome.SUCCESS : Outcome.FAILED;
                if (status != 0) {
                    error = new ErrorInfo(Integer.toString(status), "exit status " + status);
                }
            }
        }
        if (outcome == Outcome.FAILED && error == null) {
            error = new ErrorInfo(null, body.text().isBlank() ? "the job reported a failure" : lastLine(body.text()));
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("method", request.getMethod());
        if (!body.text().isEmpty()) {
            attributes.put("log", body.text());
        }
        if (body.truncated()) {
            attributes.put("logTruncated", "true");
        }
        String runId = rid != null && RID.matcher(rid).matches() ? rid : null;
        String id = runId == null ? "hc-" + UUID.randomUUID() : "hc-" + registration.id() + "-" + runId + "-" + kind;
        String job = registration.job() == null ? "ping" : registration.job();
        // ?ts=<Unix seconds or RFC 3339>: when the run happened, for a ping a client held back (retries, a queue)
        ClientTime.Reading time = ClientTime.read(ts, receivedAt);
        if (time instanceof ClientTime.Unreadable) {
            throw new HookRejectedException(HttpStatus.BAD_REQUEST, SOURCE,
                    "ts must be Unix seconds or an RFC 3339 time", body.text());
        }
        if (time instanceof ClientTime.Ignored ignored) {
            attributes.put("ts.ignored", ignored.value());
        }
        Instant occurredAt = time instanceof ClientTime.Used used ? used.at() : receivedAt;
        BackupEvent event = new BackupEvent(id, Source.HEALTHCHECKS, type, outcome, occurredAt, receivedAt,
                new JobKey(registration.tenant(), registration.account(), job), runId, null, error, attributes,
                request.getRequestURI().replace(uuid, "***") + (request.getQueryString() == null ? "" : "?" + request.getQueryString()));
        publisher.publish(event, registration.scheduleAttributes());
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body("OK");
    }

    private static int exitStatus(String kind, String raw) {
        if (kind.matches("\\d{1,3}")) {
            int status = Integer.parseInt(kind);
            if (status <= 255) {
                return status;
            }
        }
        throw new HookRejectedException(HttpStatus.BAD_REQUEST, SOURCE, "Unknown ping '" + kind
                + "': use /start, /fail, /log or an exit status 0-255.", raw);
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\\R");
        String last = lines[lines.length - 1];
        return last.length() > 500 ? last.substring(0, 500) : last;
    }

    private record Body(String text, boolean truncated) {
    }

    private static Body readBody(HttpServletRequest request) {
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes(BODY_LIMIT + 1);
            boolean truncated = bytes.length > BODY_LIMIT;
            if (truncated) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return new Body(new String(bytes, 0, Math.min(bytes.length, BODY_LIMIT), StandardCharsets.UTF_8), truncated);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
