package dev.vigil.gateway.source.stoney;

import dev.vigil.gateway.ingest.BodyText;
import dev.vigil.gateway.ingest.EventPublisher;
import dev.vigil.gateway.ingest.HookRejectedException;
import dev.vigil.gateway.ingest.RequestBodies;
import dev.vigil.gateway.registration.Registration;
import dev.vigil.gateway.registration.Registrations;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.Source;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * stoney backup: the status files a client uploaded ({@code POST /hooks/stoney/{account}/{prefix}/{file}}) and the
 * quota report ({@code POST /hooks/stoney/{account}/quota}), posted by the backup server with its registration
 * token. A registration with account {@code *} may post for every account.
 */
@RestController
class StoneyController {

    private static final String SOURCE = "stoney";
    private static final DataSize BODY_LIMIT = DataSize.ofKilobytes(64);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

    private final Registrations registrations;
    private final EventPublisher publisher;

    StoneyController(Registrations registrations, EventPublisher publisher) {
        this.registrations = registrations;
        this.publisher = publisher;
    }

    @PostMapping(path = "/hooks/stoney/{account}/{prefix}/{file}", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> file(@PathVariable String account, @PathVariable String prefix, @PathVariable String file,
                             @RequestHeader(name = "Authorization", required = false) String authorization,
                             @RequestHeader(name = "X-Vigil-Token", required = false) String vigilToken,
                             HttpServletRequest request) {
        Instant receivedAt = Instant.now();
        Registration registration = authorize(account, authorization, vigilToken);
        String body = BodyText.decode(RequestBodies.read(request, BODY_LIMIT, SOURCE), request.getContentType()).text();
        registrations.admit(registration, body);
        if (!NAME.matcher(prefix).matches()) {
            throw new HookRejectedException(HttpStatus.BAD_REQUEST, SOURCE, "The backup prefix '" + prefix
                    + "' is not a name (letters, digits, . _ @ -).", body);
        }
        try {
            return publish(StoneyFiles.toEvent(registration.tenant(), account, prefix, file, body,
                    registration.zone(), receivedAt));
        } catch (StoneyFiles.InvalidFileException e) {
            throw new HookRejectedException(HttpStatus.BAD_REQUEST, SOURCE, e.getMessage(), body);
        }
    }

    @PostMapping(path = "/hooks/stoney/{account}/quota", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> quota(@PathVariable String account,
                              @RequestHeader(name = "Authorization", required = false) String authorization,
                              @RequestHeader(name = "X-Vigil-Token", required = false) String vigilToken,
                              HttpServletRequest request) {
        Instant receivedAt = Instant.now();
        Registration registration = authorize(account, authorization, vigilToken);
        String body = BodyText.decode(RequestBodies.read(request, DataSize.ofKilobytes(1), SOURCE),
                request.getContentType()).text();
        registrations.admit(registration, body);
        try {
            return publish(StoneyFiles.quota(registration.tenant(), account, body, receivedAt));
        } catch (StoneyFiles.InvalidFileException e) {
            throw new HookRejectedException(HttpStatus.BAD_REQUEST, SOURCE, e.getMessage(), body);
        }
    }

    private Registration authorize(String account, String authorization, String vigilToken) {
        Registration registration = registrations.authenticated(Source.STONEY, Registrations.bearer(authorization, vigilToken));
        if (!NAME.matcher(account).matches() || !registration.actsFor(account)) {
            throw new HookRejectedException(HttpStatus.FORBIDDEN, SOURCE, "This token may not report for account '"
                    + account + "'.", "");
        }
        return registration;
    }

    private Map<String, Object> publish(BackupEvent event) {
        publisher.publish(event);
        return Map.of("id", event.id(), "type", event.type().name(), "job", event.job().asString());
    }
}
