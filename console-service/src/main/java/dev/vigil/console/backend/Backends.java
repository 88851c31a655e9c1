package dev.vigil.console.backend;

import dev.vigil.console.ConsoleProperties;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The services' HTTP APIs as the console calls them, always with the signed-in person's own API key, so a page shows
 * exactly what the key may see (the services filter by tenant; the console adds no rights). Bodies are JSON read as
 * maps and lists: the console shows what the APIs answer and does not copy their types.
 *
 * @throws BackendException when a service answers an error or cannot be reached; it carries the service's name,
 *                          the HTTP status and the problem's {@code detail} when there is one (RFC 9457)
 */
@Component
public class Backends {

    private static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() {
    };
    private static final ParameterizedTypeReference<Map<String, Object>> OBJECT = new ParameterizedTypeReference<>() {
    };

    private final RestClient http;
    private final ConsoleProperties properties;

    public Backends(RestClient.Builder builder, ConsoleProperties properties) {
        var factory = new org.springframework.http.client.SimpleClientHttpRequestFactory();
        factory.setConnectTimeout(java.time.Duration.ofSeconds(3));
        factory.setReadTimeout(java.time.Duration.ofSeconds(15));
        this.http = builder.requestFactory(factory).build();
        this.properties = properties;
    }

    /** Every job the key may see ({@code GET /api/v1/jobs} of the rules). */
    public List<Map<String, Object>> jobs(String key) {
        return call("rules", key, () -> http.get().uri(properties.rulesUrl().resolve("/api/v1/jobs"))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + key).retrieve().body(LIST));
    }

    /** One job with its runs, baselines and quota ({@code GET /api/v1/job?key=tenant/account/job}); null when unknown. */
    public Map<String, Object> job(String key, dev.vigil.model.JobKey job) {
        // the template is encoded first and the value strictly after: '&', '+', ';' and '%' in a job name stay its own
        URI uri = UriComponentsBuilder.fromUri(properties.rulesUrl()).path("/api/v1/job").queryParam("key", "{key}")
                .encode().buildAndExpand(job.asString()).toUri();
        try {
            return call("rules", key, () -> http.get().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
                    .retrieve().body(OBJECT));
        } catch (BackendException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** The FIRING alerts as the notifier groups them, each with its audit ({@code GET /api/v1/alerts/groups}). */
    public List<Map<String, Object>> alertGroups(String key) {
        return call("notifier", key, () -> http.get().uri(properties.notifierUrl().resolve("/api/v1/alerts/groups"))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + key).retrieve().body(LIST));
    }

    /** Every delivery decision about one alert ({@code GET /api/v1/alerts/{fingerprint}/deliveries}). */
    public List<Map<String, Object>> deliveries(String key, String fingerprint) {
        URI uri = UriComponentsBuilder.fromUri(properties.notifierUrl()).path("/api/v1/alerts/{fp}/deliveries")
                .buildAndExpand(fingerprint).toUri();
        return call("notifier", key, () -> http.get().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
                .retrieve().body(LIST));
    }

    public List<Map<String, Object>> silences(String key) {
        return call("notifier", key, () -> http.get().uri(properties.notifierUrl().resolve("/api/v1/silences"))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + key).retrieve().body(LIST));
    }

    /** Creates a silence: {@code matchers}, {@code startsAt}, {@code endsAt}, {@code author}, {@code comment}. */
    public Map<String, Object> createSilence(String key, Map<String, Object> silence) {
        return call("notifier", key, () -> http.post().uri(properties.notifierUrl().resolve("/api/v1/silences"))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + key).contentType(MediaType.APPLICATION_JSON)
                .body(silence).retrieve().body(OBJECT));
    }

    public void expireSilence(String key, String id) {
        URI uri = UriComponentsBuilder.fromUri(properties.notifierUrl()).path("/api/v1/silences/{id}")
                .buildAndExpand(id).toUri();
        call("notifier", key, () -> http.delete().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
                .retrieve().toBodilessEntity());
    }

    public List<Map<String, Object>> registrations(String key) {
        return call("gateway", key, () -> http.get().uri(properties.gatewayUrl().resolve("/api/v1/registrations"))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + key).retrieve().body(LIST));
    }

    /** Creates a registration; the answer holds its token and setup lines, once. */
    public Map<String, Object> createRegistration(String key, Map<String, Object> registration) {
        return call("gateway", key, () -> http.post().uri(properties.gatewayUrl().resolve("/api/v1/registrations"))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + key).contentType(MediaType.APPLICATION_JSON)
                .body(registration).retrieve().body(OBJECT));
    }

    /** Rotates a registration's token, the old one valid for {@code grace} (e.g. {@code 24h}). */
    public Map<String, Object> rotateRegistration(String key, String id, String grace) {
        URI uri = UriComponentsBuilder.fromUri(properties.gatewayUrl()).path("/api/v1/registrations/{id}/rotate")
                .queryParam("grace", grace).buildAndExpand(id).toUri();
        return call("gateway", key, () -> http.post().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
                .retrieve().body(OBJECT));
    }

    public void revokeRegistration(String key, String id) {
        URI uri = UriComponentsBuilder.fromUri(properties.gatewayUrl()).path("/api/v1/registrations/{id}")
                .buildAndExpand(id).toUri();
        call("gateway", key, () -> http.delete().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
                .retrieve().toBodilessEntity());
    }

    private static <T> T call(String service, String key, java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (RestClientResponseException e) {
            Map<String, Object> problem = null;
            try {
                problem = e.getResponseBodyAs(OBJECT);
            } catch (RuntimeException notJson) {
                // no problem details
            }
            Object detail = problem == null ? null : problem.get("detail");
            throw new BackendException(service, e.getStatusCode(), detail == null ? e.getStatusText() : detail.toString());
        } catch (org.springframework.web.client.ResourceAccessException e) {
            throw new BackendException(service, HttpStatusCode.valueOf(503), "the " + service + " service cannot be reached");
        } catch (org.springframework.web.client.RestClientException | ClassCastException e) {
            throw new BackendException(service, HttpStatusCode.valueOf(502), "the " + service
                    + " service answered something the console cannot read");
        }
    }

    /** A service answered an error, or none. */
    public static final class BackendException extends RuntimeException {
        private final String service;
        private final int status;

        BackendException(String service, HttpStatusCode status, String detail) {
            super(detail);
            this.service = service;
            this.status = status.value();
        }

        public String service() {
            return service;
        }

        public int status() {
            return status;
        }
    }
}
