package dev.vigil.model;

import java.time.Instant;
import java.util.Map;

/**
 * An input the gateway refused, kept so that nothing is silently dropped. Value of {@code backup.rejected},
 * keyed by the source name.
 *
 * @param raw     the input as received, cut to a size limit ({@code truncated} says whether it was cut)
 * @param headers the request headers that help to find the caller (never the credentials)
 */
public record RejectedInput(String source, String path, String method, int status, String reason,
                            String raw, boolean truncated, Map<String, String> headers, String remoteAddress,
                            Instant receivedAt) {

    public RejectedInput {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}
