package dev.vigil.notifier.channel.http;

import dev.vigil.notifier.channel.DeliveryException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.MediaType;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * POSTs to the configured HTTP targets of the channels. Targets come only from configuration, and a target that
 * resolves to a private, loopback or link-local address is refused unless explicitly allowed, so a webhook can
 * never be pointed at the inside of the network (SSRF). HTTP/1.1 without upgrade attempts, bounded timeouts.
 */
@Component
public class HttpTargets {

    /**
     * The header every HTTP channel sends with the notification's delivery id: one id per notification, the same on
     * every try, so a receiver (or a count) can drop a repeat.
     */
    public static final String DELIVERY_ID_HEADER = "X-Vigil-Delivery-Id";


    /**
     * @param allowPrivate allow targets on private, loopback and link-local addresses (a local stack, tests)
     */
    @ConfigurationProperties("vigil.notifier.http")
    public record Settings(@DefaultValue("false") boolean allowPrivate, @DefaultValue("5s") Duration connectTimeout,
                           @DefaultValue("10s") Duration readTimeout) {
    }

    private final RestClient http;
    private final boolean allowPrivate;

    public HttpTargets(Settings settings) {
        SimpleClientHttpRequestFactory factory = new SimpleClientHttpRequestFactory();
        factory.setConnectTimeout(settings.connectTimeout());
        factory.setReadTimeout(settings.readTimeout());
        this.http = RestClient.builder().requestFactory(factory).build();
        this.allowPrivate = settings.allowPrivate();
    }

    /** POSTs {@code body} as JSON with the headers; returns normally only for a 2xx answer. */
    public void postJson(String url, byte[] body, Map<String, String> headers) throws DeliveryException {
        URI uri = check(url);
        DeliveryException failure;
        try {
            failure = http.post().uri(uri).contentType(MediaType.APPLICATION_JSON)
                    .headers(h -> headers.forEach(h::set)).body(body)
                    .exchange((request, response) -> HttpStatusPolicy.judge(response.getStatusCode().value(),
                            response.getHeaders().getFirst("Retry-After"),
                            new String(response.getBody().readNBytes(1024), StandardCharsets.UTF_8)), false);
        } catch (RuntimeException e) {
            throw DeliveryException.retryable("http-unreachable", "cannot reach " + uri.getHost() + ": "
                    + e.getMessage(), null, e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private URI check(String url) throws DeliveryException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw DeliveryException.permanent("bad-target", "not a URL: " + e.getMessage(), e);
        }
        if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            throw DeliveryException.permanent("bad-target", "only http(s) targets are allowed", null);
        }
        if (!allowPrivate) {
            try {
                for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
                    if (isInternal(address)) {
                        throw DeliveryException.permanent("private-target", uri.getHost() + " resolves to the internal "
                                + "address " + address.getHostAddress() + "; set vigil.notifier.http.allow-private to allow it", null);
                    }
                }
            } catch (UnknownHostException e) {
                throw DeliveryException.retryable("dns", "cannot resolve " + uri.getHost(), null, e);
            }
        }
        return uri;
    }

    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) {
            return (b[0] & 0xFE) == 0xFC; // fc00::/7 unique local
        }
        return (b[0] & 0xFF) == 100 && (b[1] & 0xC0) == 64; // 100.64.0.0/10 carrier-grade NAT
    }

}
