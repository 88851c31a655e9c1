package dev.vigil.gateway.web;

import dev.vigil.gateway.ingest.EventPublisher;
import dev.vigil.security.RequestPathMasker;
import org.springframework.stereotype.Component;

/**
 * A request path as the gateway shows it anywhere (an answer's {@code instance}, {@code backup.rejected}, a log line):
 * the token segment of a hook URL masked ({@link Paths#maskToken}), and every secret the gateway's masker recognises
 * masked wherever it stands, so a valid token sent in a wrong place ({@code /HOOKS/…}, {@code //hooks//…},
 * {@code /hooks/unknown/<token>}) is never echoed. Characters a URI path may not hold (a masked form found under a
 * percent escape, a {@code %} that begins none) become {@code _}.
 */
@Component
class TokenPathMasker implements RequestPathMasker {

    private final EventPublisher publisher;

    TokenPathMasker(EventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public String mask(String path) {
        if (path == null) {
            return "";
        }
        return publisher.masker().mask(Paths.maskToken(path))
                .replaceAll("[^A-Za-z0-9/._~!$&'()*+,;=:@%-]|%(?![0-9A-Fa-f]{2})", "_");
    }
}
