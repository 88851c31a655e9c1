package dev.vigil.gateway.source.xsibackup;

import dev.vigil.gateway.GatewayProperties;
import dev.vigil.gateway.ingest.EventPublisher;
import dev.vigil.gateway.ingest.HookRejectedException;
import dev.vigil.gateway.registration.Registration;
import dev.vigil.gateway.registration.Registrations;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.Outcome;
import dev.vigil.model.Source;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * XSIBackup-PRO's {@code --on-error="URL|OK"} and {@code --on-success="URL|OK"} calls. The payload does not say
 * which callback fired, so the URL does: {@code /hooks/xsibackup/{token}/error} or {@code …/success}. The token
 * is in the path because XSIBackup cannot send headers. The reply is exactly the registration's expected body,
 * and only once Kafka has the event.
 */
@RestController
class XsiBackupController {

    private static final String SOURCE = "xsibackup";

    private final Registrations registrations;
    private final EventPublisher publisher;
    private final GatewayProperties properties;

    XsiBackupController(Registrations registrations, EventPublisher publisher, GatewayProperties properties) {
        this.registrations = registrations;
        this.publisher = publisher;
        this.properties = properties;
    }

    @GetMapping(path = "/hooks/xsibackup/{token}/{callback}", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> hook(@PathVariable String token, @PathVariable String callback,
                                HttpServletRequest request) {
        Instant receivedAt = Instant.now();
        String query = request.getQueryString();
        Registration registration = registrations.require(Source.XSIBACKUP, token,
                XsiBackupDecoder.maskedQuery(query, publisher.masker()));
        Outcome outcome = switch (callback) {
            case "error" -> Outcome.FAILED;
            case "success" -> Outcome.SUCCESS;
            default -> throw new HookRejectedException(HttpStatus.NOT_FOUND, SOURCE,
                    "Unknown callback '" + callback + "': use .../error for --on-error and .../success for --on-success.",
                    XsiBackupDecoder.maskedQuery(query, publisher.masker()));
        };
        if (query != null && query.length() > properties.maxQueryLength().toBytes()) {
            throw new HookRejectedException(HttpStatus.URI_TOO_LONG, SOURCE, "The query is " + query.length()
                    + " characters long; at most " + properties.maxQueryLength().toBytes() + " are accepted.", query);
        }
        XsiBackupDecoder.Payload payload;
        try {
            payload = XsiBackupDecoder.decode(query);
        } catch (XsiBackupDecoder.InvalidPayloadException e) {
            throw new HookRejectedException(HttpStatus.BAD_REQUEST, SOURCE, e.getMessage(), query);
        }
        BackupEvent event = XsiBackupEvents.toEvent(registration, outcome, payload,
                XsiBackupDecoder.encodeMasked(payload, publisher.masker()), receivedAt);
        publisher.publish(event, registration.scheduleAttributes());
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(registration.reply());
    }
}
