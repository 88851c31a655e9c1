package dev.vigil.notifier.silence;

import dev.vigil.security.ApiCaller;
import org.springframework.security.core.Authentication;
import dev.vigil.model.Silence;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Silences and maintenance windows: {@code POST /api/v1/silences} ({@code matchers}, {@code startsAt} — now when
 * absent, a future time makes a maintenance window —, {@code endsAt}, {@code author}, {@code comment}),
 * {@code GET} to list, {@code DELETE /api/v1/silences/{id}} to expire one now. A tenant's API key creates silences
 * that match its tenant only (a {@code tenant} matcher is added, another tenant's is 403) and sees and expires
 * only those; an operator's key sees all.
 */
@RestController
class SilenceController {

    private static final String TENANT = "tenant";
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SilenceController.class);
    private final Silences silences;
    private final org.springframework.kafka.core.KafkaTemplate<String, Object> kafka;

    SilenceController(Silences silences, org.springframework.kafka.core.KafkaTemplate<String, Object> kafka) {
        this.silences = silences;
        this.kafka = kafka;
    }

    /** Tells who created or expired a silence on {@code backup.changes}; a failure is logged, the change stands. */
    private void told(Authentication caller, Silence silence, String action) {
        Map<String, String> details = new java.util.LinkedHashMap<>();
        silence.matchers().forEach((label, value) -> details.put("matcher." + label, value));
        details.put("startsAt", silence.startsAt().toString());
        details.put("endsAt", silence.endsAt().toString());
        if (silence.comment() != null) {
            details.put("comment", dev.vigil.model.Text.line(silence.comment(), 500));
        }
        dev.vigil.model.Change change = dev.vigil.model.Change.now(caller.getName(), silence.matchers().get(TENANT),
                "silence", silence.id(), action, details);
        try {
            kafka.send(dev.vigil.kafka.CloudEventRecords.record(dev.vigil.model.Topics.CHANGES, silence.id(), change,
                    change.id(), dev.vigil.model.Change.CLOUD_EVENT_TYPE, "notifier", change.at(),
                    org.slf4j.MDC.get(dev.vigil.kafka.CloudEventRecords.TRACE_ID_MDC))).get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("silence {} was {} but not told on {}: {}", silence.id(), action, dev.vigil.model.Topics.CHANGES,
                    e.toString());
        }
    }

    /** The latest end a silence may have: a time every page and client can print (a four-digit year). */
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** What a client sends to create a silence. */
    record NewSilence(Map<String, String> matchers, Instant startsAt, Instant endsAt, String author, String comment) {
    }

    @PostMapping("/api/v1/silences")
    ResponseEntity<?> create(@RequestBody NewSilence request, Authentication caller) throws Exception {
        Instant now = Instant.now();
        Instant starts = request.startsAt() == null ? now : request.startsAt();
        if (request.matchers() == null || request.matchers().isEmpty()) {
            return problem("A silence needs at least one matcher, e.g. {\"account\": \"3723707\"}.");
        }
        String invalid = dev.vigil.notifier.routing.Route.invalid(request.matchers());
        if (invalid != null) {
            return problem(invalid);
        }
        Map<String, String> matchers = new java.util.LinkedHashMap<>(request.matchers());
        if (!ApiCaller.isOperator(caller)) {
            // a tenant's key silences its own tenant's alerts, never another's
            String own = ApiCaller.tenant(caller);
            String asked = matchers.putIfAbsent(TENANT, own);
            if (asked != null && !asked.equals(own)) {
                return forbidden("This API key may only silence alerts of tenant '" + own + "'.");
            }
        }
        if (request.endsAt() == null || !request.endsAt().isAfter(starts) || !request.endsAt().isAfter(now)) {
            return problem("endsAt must be in the future and after startsAt.");
        }
        if (starts.isBefore(Instant.EPOCH) || request.endsAt().isAfter(LATEST)) {
            return problem("startsAt and endsAt must lie between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z.");
        }
        if (request.author() == null || request.author().isBlank()) {
            return problem("A silence needs an author.");
        }
        if (request.author().length() > 200 || request.comment() != null && request.comment().length() > 2_000) {
            return problem("The author takes at most 200 characters, the comment at most 2,000.");
        }
        Silence silence = silences.save(new Silence(UUID.randomUUID().toString(), matchers, starts,
                request.endsAt(), request.author(), request.comment(), now));
        told(caller, silence, "created");
        return ResponseEntity.created(URI.create("/api/v1/silences/" + silence.id())).body(silence);
    }

    /** The silences the caller's key may see: its tenant's (an operator's: all). */
    @GetMapping("/api/v1/silences")
    List<Silence> list(Authentication caller) {
        return silences.all().stream().filter(s -> visible(s, caller)).toList();
    }

    @DeleteMapping("/api/v1/silences/{id}")
    ResponseEntity<?> expire(@PathVariable String id, Authentication caller) throws Exception {
        var existing = silences.get(id);
        if (existing.isEmpty() || !visible(existing.get(), caller)) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                    "No silence with this id that this API key may see.");
            problem.setTitle("No such silence");
            return ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        Silence s = existing.get();
        Instant now = Instant.now();
        Silence expired = new Silence(s.id(), s.matchers(), s.startsAt().isAfter(now) ? now : s.startsAt(),
                now, s.author(), s.comment(), s.createdAt());
        Silence saved = silences.save(expired);
        told(caller, saved, "expired");
        return ResponseEntity.ok(saved);
    }

    private static boolean visible(Silence silence, Authentication caller) {
        return ApiCaller.isOperator(caller) || ApiCaller.tenant(caller) != null
                && ApiCaller.tenant(caller).equals(silence.matchers().get(TENANT));
    }

    private static ResponseEntity<ProblemDetail> forbidden(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, detail);
        problem.setTitle("Forbidden");
        return ResponseEntity.status(HttpStatus.FORBIDDEN).body(problem);
    }

    private static ResponseEntity<ProblemDetail> problem(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid silence");
        return ResponseEntity.badRequest().body(problem);
    }
}
