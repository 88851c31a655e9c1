package dev.vigil.gateway.source.generic;

import dev.vigil.gateway.ingest.IngestPipeline;
import dev.vigil.gateway.ingest.HookRejectedException;
import dev.vigil.gateway.ingest.RequestBodies;
import dev.vigil.gateway.registration.Registration;
import dev.vigil.gateway.registration.Registrations;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.ErrorInfo;
import dev.vigil.model.EventType;
import dev.vigil.model.JobKey;
import dev.vigil.model.Json;
import dev.vigil.model.Measures;
import dev.vigil.model.Outcome;
import dev.vigil.model.Source;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;

/**
 * Any other backup tool: {@code POST /api/v1/events} with one CloudEvents 1.0 event in structured JSON mode
 * ({@code application/cloudevents+json}) whose {@code data} is a Vigil event. The CloudEvents id makes the event
 * id, so sending the same event again is recognised.
 */
@RestController
class GenericEventController {

    private static final String SOURCE = "generic";
    private static final DataSize BODY_LIMIT = DataSize.ofKilobytes(256);
    private static final Pattern JOB = Pattern.compile("[^\\p{Cntrl}]{1,200}");
    /** An account uid as the directory has it (the stoney sources' rule): no {@code /}, no blanks. */
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9._@-]{1,128}");
    /** Attribute names a caller may not set: the registration's schedule, CloudEvents' and Vigil's own. */
    private static final List<String> RESERVED_PREFIXES = List.of("schedule.", "ce.", "vigil.");
    static final int MAX_ATTRIBUTES = 32;
    static final int ATTRIBUTE_NAME_LIMIT = 64;
    static final int ATTRIBUTE_VALUE_LIMIT = 1024;
    static final int ID_LIMIT = 256;

    private final IngestPipeline pipeline;

    GenericEventController(IngestPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** The {@code data} of the CloudEvent. Every field but {@code job} is optional. */
    record Data(String job, String account, EventType type, Outcome outcome, String occurredAt, String runId,
                Measures measures, ErrorInfo error, Map<String, String> attributes) {
    }

    /** A CloudEvents 1.0 event in structured mode, as far as Vigil reads it. */
    record CloudEvent(String specversion, String id, String source, String type, String time, String subject,
                      String datacontenttype, Data data) {
    }

    @PostMapping(path = "/api/v1/events")
    org.springframework.http.ResponseEntity<Map<String, Object>> event(@RequestHeader(name = "Authorization", required = false) String authorization,
                              @RequestHeader(name = "X-Vigil-Token", required = false) String vigilToken,
                              HttpServletRequest request) {
        BackupEvent event = pipeline.accept(Source.GENERIC, Registrations.bearer(authorization, vigilToken),
                IngestPipeline.ANY, new IngestPipeline.Input.Body(BODY_LIMIT), request, GenericEventController::toEvent)
                .event();
        return IngestPipeline.answer(event, Map.of());
    }

    /** A CloudEvent's {@code data_base64} member (binary data in structured mode), whose value is kept as {@code ***}. */
    private static final java.util.regex.Pattern DATA_BASE64 = java.util.regex.Pattern.compile(
            "(\"data_base64\"\\s{0,16}:\\s{0,16})\"[^\"]*+\"");

    /** The Vigil event a CloudEvent carries, or the reason it cannot be one. */
    private static BackupEvent toEvent(IngestPipeline.Call call) {
        String text = call.text();
        // kept as raw input without a data_base64 value: base64 hides from masking whatever secret it holds
        String raw = DATA_BASE64.matcher(text).replaceAll("$1\"***\"");
        Registration registration = call.registration();
        Instant receivedAt = call.receivedAt();
        CloudEvent ce;
        try {
            ce = Json.mapper().readValue(text, CloudEvent.class);
        } catch (JacksonException e) {
            throw invalid("The body is not a CloudEvents JSON event: " + RequestBodies.describe(e), raw);
        }
        if (ce == null || !"1.0".equals(ce.specversion())) {
            throw invalid("specversion must be \"1.0\".", raw);
        }
        if (blank(ce.id()) || blank(ce.source()) || blank(ce.type())) {
            throw invalid("A CloudEvent needs id, source and type.", raw);
        }
        if (ce.id().length() > ID_LIMIT || (ce.data() != null && ce.data().runId() != null
                && ce.data().runId().length() > ID_LIMIT)) {
            throw invalid("id and data.runId may have at most " + ID_LIMIT + " characters.", raw);
        }
        Data data = ce.data();
        if (data == null || data.job() == null || !JOB.matcher(data.job()).matches()) {
            throw invalid("data.job must name the backup job (1-200 characters, no control characters).", raw);
        }
        if (data.type() == EventType.HEARTBEAT) {
            throw invalid("data.type HEARTBEAT is Vigil's own ingest heartbeat; a client may not send it.", raw);
        }
        if (data.account() != null && !ACCOUNT.matcher(data.account()).matches()) {
            throw invalid("data.account must be an account uid (1-128 letters, digits, . _ @ -).", raw);
        }
        checkAttributes(data.attributes(), raw);
        checkMeasures(data.measures(), raw);
        String account = data.account() == null ? registration.account() : data.account();
        if (!registration.actsFor(account) || "*".equals(account)) {
            throw new HookRejectedException(HttpStatus.FORBIDDEN, SOURCE, "This token may not report for account '"
                    + account + "'.", raw);
        }
        Instant occurredAt = receivedAt;
        String time = data.occurredAt() != null ? data.occurredAt() : ce.time();
        if (time != null) {
            try {
                occurredAt = Instant.parse(time);
            } catch (DateTimeParseException e) {
                throw invalid("'" + time + "' is not an RFC 3339 time.", raw);
            }
        }
        Map<String, String> attributes = new LinkedHashMap<>(data.attributes() == null ? Map.of() : data.attributes());
        attributes.put("ce.source", ce.source());
        attributes.put("ce.type", ce.type());
        EventType type = data.type() == null ? EventType.UNKNOWN : data.type();
        return new BackupEvent("generic-" + registration.id() + "-" + ce.id(), Source.GENERIC, type,
                data.outcome(), occurredAt, receivedAt, new JobKey(registration.tenant(), account, data.job()),
                data.runId(), data.measures(), data.error(), attributes, raw);
    }

    private static void checkAttributes(Map<String, String> attributes, String raw) {
        if (attributes == null) {
            return;
        }
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw invalid("data.attributes may hold at most " + MAX_ATTRIBUTES + " entries.", raw);
        }
        for (Map.Entry<String, String> entry : attributes.entrySet()) {
            String name = entry.getKey();
            if (name.isEmpty() || name.length() > ATTRIBUTE_NAME_LIMIT || entry.getValue() == null
                    || entry.getValue().length() > ATTRIBUTE_VALUE_LIMIT) {
                throw invalid("data.attributes: names of 1-" + ATTRIBUTE_NAME_LIMIT + " characters, text values of at most "
                        + ATTRIBUTE_VALUE_LIMIT + " characters.", raw);
            }
            for (String prefix : RESERVED_PREFIXES) {
                if (name.startsWith(prefix)) {
                    throw invalid("data.attributes: '" + prefix + "*' names are reserved for Vigil (a schedule belongs"
                            + " on the registration).", raw);
                }
            }
        }
    }

    private static void checkMeasures(Measures m, String raw) {
        if (m == null) {
            return;
        }
        for (Number value : java.util.Arrays.asList(m.bytes(), m.files(), m.durationSeconds(), m.errorCount(),
                m.quotaUsedBytes(), m.quotaTotalBytes())) {
            if (value != null && value.longValue() < 0) {
                throw invalid("data.measures may not be negative.", raw);
            }
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static HookRejectedException invalid(String reason, String raw) {
        return new HookRejectedException(HttpStatus.BAD_REQUEST, SOURCE, reason, raw);
    }
}
