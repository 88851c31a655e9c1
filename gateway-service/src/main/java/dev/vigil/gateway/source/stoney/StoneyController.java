package dev.vigil.gateway.source.stoney;

import dev.vigil.gateway.ingest.IngestPipeline;
import dev.vigil.gateway.ingest.HookRejectedException;
import dev.vigil.gateway.registration.Registrations;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.Source;
import jakarta.servlet.http.HttpServletRequest;
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

    private final IngestPipeline pipeline;

    StoneyController(IngestPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @PostMapping(path = "/hooks/stoney/{account}/{prefix}/{file}")
    org.springframework.http.ResponseEntity<Map<String, Object>> file(@PathVariable String account, @PathVariable String prefix, @PathVariable String file,
                             @RequestHeader(name = "Authorization", required = false) String authorization,
                             @RequestHeader(name = "X-Vigil-Token", required = false) String vigilToken,
                             HttpServletRequest request) {
        return answer(pipeline.accept(Source.STONEY, Registrations.bearer(authorization, vigilToken), account, actsFor(account),
                new IngestPipeline.Input.Body(BODY_LIMIT), request, call -> {
                    if (!NAME.matcher(prefix).matches()) {
                        throw new HookRejectedException(HttpStatus.BAD_REQUEST, SOURCE, "The backup prefix '" + prefix
                                + "' is not a name (letters, digits, . _ @ -).", call.text());
                    }
                    try {
                        return StoneyFiles.toEvent(call.registration().tenant(), account, prefix, file, call.text(),
                                call.registration().zone(), call.receivedAt());
                    } catch (StoneyFiles.InvalidFileException e) {
                        throw new HookRejectedException(HttpStatus.BAD_REQUEST, SOURCE, e.getMessage(), call.text());
                    }
                }));
    }

    @PostMapping(path = "/hooks/stoney/{account}/quota")
    org.springframework.http.ResponseEntity<Map<String, Object>> quota(@PathVariable String account,
                              @RequestHeader(name = "Authorization", required = false) String authorization,
                              @RequestHeader(name = "X-Vigil-Token", required = false) String vigilToken,
                              HttpServletRequest request) {
        return answer(pipeline.accept(Source.STONEY, Registrations.bearer(authorization, vigilToken), account, actsFor(account),
                new IngestPipeline.Input.Body(DataSize.ofKilobytes(1)), request, call -> {
                    try {
                        return StoneyFiles.quota(call.registration().tenant(), account, call.text(), call.receivedAt());
                    } catch (StoneyFiles.InvalidFileException e) {
                        throw new HookRejectedException(HttpStatus.BAD_REQUEST, SOURCE, e.getMessage(), call.text());
                    }
                }));
    }

    /** The server's registration reports for its own account, or for any with account {@code *}. */
    private static IngestPipeline.Authorization actsFor(String account) {
        return registration -> {
            if (!NAME.matcher(account).matches() || !registration.actsFor(account)) {
                throw new HookRejectedException(HttpStatus.FORBIDDEN, SOURCE, "This token may not report for account '"
                        + account + "'.", "");
            }
        };
    }

    private static org.springframework.http.ResponseEntity<Map<String, Object>> answer(IngestPipeline.Accepted accepted) {
        return IngestPipeline.answer(accepted.event(), Map.of());
    }
}
