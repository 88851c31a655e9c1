package dev.vigil.gateway.source.xsibackup;

import dev.vigil.gateway.GatewayProperties;
import dev.vigil.gateway.ingest.EventPublisher;
import dev.vigil.gateway.ingest.HookRejectedException;
import dev.vigil.gateway.ingest.IngestPipeline;
import dev.vigil.model.Outcome;
import dev.vigil.model.Source;
import jakarta.servlet.http.HttpServletRequest;
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

    private final IngestPipeline pipeline;
    private final EventPublisher publisher;
    private final GatewayProperties properties;

    XsiBackupController(IngestPipeline pipeline, EventPublisher publisher, GatewayProperties properties) {
        this.pipeline = pipeline;
        this.publisher = publisher;
        this.properties = properties;
    }

    @GetMapping(path = "/hooks/xsibackup/{token}/{callback}")
    ResponseEntity<String> hook(@PathVariable String token, @PathVariable String callback,
                                HttpServletRequest request) {
        Outcome outcome = "error".equals(callback) ? Outcome.FAILED : "success".equals(callback) ? Outcome.SUCCESS : null;
        IngestPipeline.Authorization knownCallback = registration -> {
            if (outcome == null) {
                throw new HookRejectedException(HttpStatus.NOT_FOUND, SOURCE, "Unknown callback '" + callback
                        + "': use .../error for --on-error and .../success for --on-success.",
                        XsiBackupDecoder.maskedQuery(request.getQueryString(), publisher.masker()));
            }
        };
        IngestPipeline.Input query = new IngestPipeline.Input.Query(properties.maxQueryLength(),
                raw -> XsiBackupDecoder.maskedQuery(raw, publisher.masker()));
        IngestPipeline.Accepted accepted = pipeline.accept(Source.XSIBACKUP, token, knownCallback, query, request, call -> {
            XsiBackupDecoder.Payload payload;
            try {
                payload = XsiBackupDecoder.decode(call.text());
            } catch (XsiBackupDecoder.InvalidPayloadException e) {
                throw new HookRejectedException(HttpStatus.BAD_REQUEST, SOURCE, e.getMessage(), call.text());
            }
            return XsiBackupEvents.toEvent(call.registration(), outcome, payload,
                    XsiBackupDecoder.encodeMasked(payload, publisher.masker()), call.receivedAt());
        });
        // the reply XSIBackup was told to expect, once Kafka has the event
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(accepted.registration().reply());
    }
}
