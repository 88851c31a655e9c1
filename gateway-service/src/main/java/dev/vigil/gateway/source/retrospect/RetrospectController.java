package dev.vigil.gateway.source.retrospect;

import dev.vigil.gateway.ingest.ClientTime;
import dev.vigil.gateway.ingest.IngestPipeline;
import dev.vigil.gateway.ingest.HookRejectedException;
import dev.vigil.gateway.ingest.RequestBodies;
import dev.vigil.gateway.registration.Registration;
import dev.vigil.gateway.registration.Registrations;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.Json;
import dev.vigil.model.Source;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;

/**
 * Retrospect's {@code RetroEventHandler} calls, as the shipped handlers send them: {@code POST /hooks/retrospect}
 * with the token as {@code Authorization: Bearer}, and the arguments either form-encoded ({@code arg=<event>&arg=…
 * &host=…&platform=…}) or as JSON ({@code {"argv": [...], "host": ..., "platform": ...}}). An
 * {@code Idempotency-Key} makes the event id, so a spooled call sent again is recognised.
 */
@RestController
class RetrospectController {

    private static final String SOURCE = "retrospect";
    private static final DataSize BODY_LIMIT = DataSize.ofKilobytes(64);
    private static final Pattern SAFE_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final IngestPipeline pipeline;

    RetrospectController(IngestPipeline pipeline) {
        this.pipeline = pipeline;
    }

    record Call(List<String> argv, String host, String platform, String occurred) {
    }

    @PostMapping(path = "/hooks/retrospect")
    org.springframework.http.ResponseEntity<Map<String, Object>> hook(@RequestHeader(name = "Authorization", required = false) String authorization,
                             @RequestHeader(name = "X-Vigil-Token", required = false) String vigilToken,
                             @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
                             HttpServletRequest request) {
        BackupEvent event = pipeline.accept(Source.RETROSPECT, Registrations.bearer(authorization, vigilToken),
                IngestPipeline.ANY, new IngestPipeline.Input.Body(BODY_LIMIT), request, input -> {
                    String raw = input.text();
                    Call call = parse(raw, request.getContentType());
                    if (call.argv().isEmpty() || call.argv().get(0).isBlank()) {
                        throw new HookRejectedException(HttpStatus.BAD_REQUEST, SOURCE, "No event: send the handler's "
                                + "arguments as arg=<event>&arg=<first argument>&… or {\"argv\": [...]}.", raw);
                    }
                    Registration registration = input.registration();
                    String id = idempotencyKey != null && SAFE_KEY.matcher(idempotencyKey).matches()
                            ? "retrospect-" + registration.id() + "-" + idempotencyKey
                            : "retrospect-" + UUID.randomUUID();
                    BackupEvent parsed = RetrospectEvents.toEvent(id, call.argv(), call.host(), call.platform(),
                            registration.tenant(), registration.account(),
                            registration.job() == null ? "engine" : registration.job(), registration.zone(),
                            input.receivedAt(), raw);
                    return withOccurred(parsed, call.occurred(), input.receivedAt());
                }).event();
        return IngestPipeline.answer(event, Map.of("malformed",
                Boolean.parseBoolean(event.attributes().getOrDefault("malformed", "false"))));
    }

    /**
     * The event at the time the handler says it ran ({@link ClientTime}), for events whose arguments gave no date of
     * their own. An unbelievable or unreadable value is kept as the attribute {@code occurred.ignored}; Vigil's clock
     * stands.
     */
    static BackupEvent withOccurred(BackupEvent event, String occurred, Instant receivedAt) {
        if (!receivedAt.equals(event.occurredAt())) {
            return event;
        }
        ClientTime.Reading reading = ClientTime.read(occurred, receivedAt);
        if (reading instanceof ClientTime.Absent) {
            return event;
        }
        Map<String, String> attributes = new java.util.LinkedHashMap<>(event.attributes());
        Instant at = receivedAt;
        if (reading instanceof ClientTime.Used used) {
            at = used.at();
        } else if (reading instanceof ClientTime.Ignored ignored) {
            attributes.put("occurred.ignored", ignored.value());
        } else if (reading instanceof ClientTime.Unreadable unreadable) {
            attributes.put("occurred.ignored", unreadable.value());
        }
        return new BackupEvent(event.id(), event.source(), event.type(), event.outcome(), at, receivedAt, event.job(),
                event.runId(), event.measures(), event.error(), attributes, event.raw());
    }

    private static Call parse(String raw, String contentType) {
        if (contentType != null && contentType.toLowerCase().startsWith(MediaType.APPLICATION_JSON_VALUE)) {
            try {
                Call call = Json.mapper().readValue(raw, Call.class);
                if (call == null) {
                    throw new HookRejectedException(HttpStatus.BAD_REQUEST, SOURCE,
                            "The body is JSON null, not the handler's call: send {\"argv\": [...]}.", raw);
                }
                List<String> argv = call.argv() == null ? List.of() : call.argv();
                for (int i = 0; i < argv.size(); i++) {
                    if (argv.get(i) == null) {
                        throw new HookRejectedException(HttpStatus.BAD_REQUEST, SOURCE, "argv[" + i
                                + "] is null: every argument is a string, the event name first.", raw);
                    }
                }
                return new Call(argv, call.host(), call.platform(), call.occurred());
            } catch (JacksonException e) {
                throw new HookRejectedException(HttpStatus.BAD_REQUEST, SOURCE,
                        "The body is not the JSON the handler sends: " + RequestBodies.describe(e), raw);
            }
        }
        Map<String, List<String>> form = RequestBodies.form(raw);
        List<String> argv = new ArrayList<>(form.getOrDefault("arg", List.of()));
        return new Call(argv, first(form, "host"), first(form, "platform"), first(form, "occurred"));
    }

    private static String first(Map<String, List<String>> form, String key) {
        List<String> values = form.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
