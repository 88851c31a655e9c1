package dev.vigil.gateway.registration;

import dev.vigil.gateway.GatewayProperties;
import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.model.Change;
import dev.vigil.model.Source;
import dev.vigil.security.ApiCaller;
import java.net.URI;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Registrations managed at runtime, tenant-scoped by the API key ({@code /api/v1/registrations}):
 * <ul>
 *   <li>{@code POST} creates one and answers {@code 201} with its token, shown this once, and the exact line to
 *       give the backup product ({@code setup});</li>
 *   <li>{@code GET} lists the caller's tenant's registrations (an operator's: all), those of the configuration
 *       included ({@code origin: configuration}, read-only); {@code GET /{id}} shows one;</li>
 *   <li>{@code PATCH /{id}} (JSON merge patch, RFC 7396) changes account, job, reply, zone, schedule, rate limit,
 *       slugs or auto-provisioning; {@code If-Match} with the {@code ETag} (the revision) refuses a stale change
 *       with {@code 412};</li>
 *   <li>{@code POST /{id}/rotate?grace=24h} makes a new token; the old one keeps working for the grace period
 *       (default {@code vigil.gateway.rotation-grace}, at most 30 days, {@code 0s} to end it at once);</li>
 *   <li>{@code DELETE /{id}} revokes it: its tokens stop working on every gateway instance within a second.</li>
 * </ul>
 * Changes are kept on the compacted {@code backup.registrations} (tokens as SHA-256 only) and told on
 * {@code backup.changes} with the API key that made them. Invalid input is a {@code 400}, another tenant's
 * registration a {@code 404}, a configuration registration or a taken id a {@code 409}, Kafka unavailable a
 * {@code 503}; all as {@code application/problem+json}.
 */
@RestController
class RegistrationController {

    private static final Logger log = LoggerFactory.getLogger(RegistrationController.class);
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern ACCOUNT = Pattern.compile("\\*|[A-Za-z0-9._@-]{1,128}");
    private static final Pattern OWN_TOKEN = Pattern.compile("[A-Za-z0-9_-]{16,128}");
    static final Pattern UUID_TOKEN = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static final Pattern SLUG = Pattern.compile("[a-z0-9_-]{1,100}");
    private static final int MAX_SLUGS = Registrations.MAX_CHECKS_PER_PING_KEY;
    private static final Duration MAX_GRACE = Duration.ofDays(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RegistrationLog registrations;
    private final Registrations known;
    private final GatewayProperties properties;

    RegistrationController(RegistrationLog registrations, Registrations known, GatewayProperties properties) {
        this.registrations = registrations;
        this.known = known;
        this.properties = properties;
    }

    /** What a client sends to create a registration; absent fields take the defaults of the configuration's. */
    record NewRegistration(String id, String source, String tenant, String account, String job, String reply,
                           String zone, Double rateLimit, String schedule, Boolean pingKey, Boolean autoProvision,
                           List<String> slugs, String token) {
    }

    /** What the API shows of a registration: never a token, except {@code token} right after it was made. */
    record RegistrationView(String id, String source, String tenant, String account, String job, String reply,
                            String zone, double rateLimit, String schedule, boolean pingKey, boolean autoProvision,
                            List<String> slugs, String origin, long revision, Instant createdAt, Instant changedAt,
                            String changedBy, Instant previousTokenValidUntil, String token, Map<String, String> setup) {
    }

    @PostMapping("/api/v1/registrations")
    ResponseEntity<?> create(@RequestBody NewRegistration request, Authentication caller) {
        return registrations.exclusively(properties.publishTimeout(), () -> createAlone(request, caller));
    }

    /** {@link #create}, decided alone ({@link RegistrationLog#exclusively}): no other change can take the id or token. */
    private ResponseEntity<?> createAlone(NewRegistration request, Authentication caller) {
        String tenant = request.tenant() == null && !ApiCaller.isOperator(caller) ? ApiCaller.tenant(caller) : request.tenant();
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new InvalidRegistration("tenant is required for an operator key and must match " + TENANT.pattern());
        }
        if (!ApiCaller.mayAct(caller, tenant)) {
            return problem(HttpStatus.FORBIDDEN, "Forbidden", "This API key may only create registrations of tenant '"
                    + ApiCaller.tenant(caller) + "'.");
        }
        Source source = source(request.source());
        boolean pingKey = Boolean.TRUE.equals(request.pingKey());
        if (pingKey && source != Source.HEALTHCHECKS) {
            throw new InvalidRegistration("pingKey is for source healthchecks only");
        }
        String id = request.id() == null ? source.name().toLowerCase(Locale.ROOT) + "-"
                + UUID.randomUUID().toString().substring(0, 8) : request.id();
        if (!ID.matcher(id).matches()) {
            throw new InvalidRegistration("id must match " + ID.pattern());
        }
        if (known.seed(id).isPresent() || registrations.get(id).isPresent() || registrations.wasRevoked(id)) {
            return problem(HttpStatus.CONFLICT, "Id taken", "The id '" + id + "' is taken (also a revoked "
                    + "registration's id stays taken); choose another or leave it out.");
        }
        String token = request.token() == null ? newToken(source, pingKey) : request.token();
        if (!OWN_TOKEN.matcher(token).matches() || source == Source.HEALTHCHECKS && !pingKey
                && !UUID_TOKEN.matcher(token).matches()) {
            throw new InvalidRegistration("token must be 16-128 characters of A-Z a-z 0-9 _ - (a lowercase UUID for a "
                    + "ping check); leave it out and Vigil makes one");
        }
        if (known.isTaken(token)) {
            return problem(HttpStatus.CONFLICT, "Token taken", "This token cannot be used: it is or was another "
                    + "registration's. Leave the token out and Vigil makes one.");
        }
        Instant now = Instant.now();
        StoredRegistration stored = new StoredRegistration(id, source, tenant, request.account(), request.job(),
                request.reply() == null ? "OK" : request.reply(), request.zone() == null ? "UTC" : request.zone(),
                request.rateLimit() == null ? 50 : request.rateLimit(), request.schedule(), pingKey,
                Boolean.TRUE.equals(request.autoProvision()), request.slugs(),
                List.of(new StoredRegistration.TokenHash(Registrations.hash(token), null)), 1, now, now, caller.getName(), null);
        validate(stored);
        registrations.write(id, stored, MDC.get(CloudEventRecords.TRACE_ID_MDC), properties.publishTimeout());
        changed(caller, stored, "created", describe(stored));
        return ResponseEntity.created(URI.create("/api/v1/registrations/" + id)).eTag(etag(stored))
                .body(view(stored, token));
    }

    @GetMapping("/api/v1/registrations")
    List<RegistrationView> list(Authentication caller) {
        List<RegistrationView> views = new ArrayList<>();
        for (Registration seed : known.seeds()) {
            if (ApiCaller.mayAct(caller, seed.tenant())) {
                views.add(view(seed));
            }
        }
        for (StoredRegistration stored : registrations.all()) {
            if (ApiCaller.mayAct(caller, stored.tenant())) {
                views.add(view(stored, null));
            }
        }
        views.sort(Comparator.comparing(RegistrationView::tenant).thenComparing(RegistrationView::id));
        return views;
    }

    @GetMapping("/api/v1/registrations/{id}")
    ResponseEntity<?> get(@PathVariable String id, Authentication caller) {
        Optional<Registration> seed = known.seed(id).filter(s -> ApiCaller.mayAct(caller, s.tenant()));
        if (seed.isPresent()) {
            return ResponseEntity.ok(view(seed.get()));
        }
        return visible(id, caller).<ResponseEntity<?>>map(stored -> ResponseEntity.ok().eTag(etag(stored))
                .body(view(stored, null))).orElseGet(() -> notFound(id));
    }

    @PatchMapping(path = "/api/v1/registrations/{id}", consumes = {"application/merge-patch+json", "application/json"})
    ResponseEntity<?> change(@PathVariable String id, @RequestBody Map<String, Object> patch,
                             @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                             Authentication caller) {
        return registrations.exclusively(properties.publishTimeout(), () -> changeAlone(id, patch, ifMatch, caller));
    }

    /** {@link #change}, decided alone: the revision it changes is the latest any instance wrote. */
    private ResponseEntity<?> changeAlone(String id, Map<String, Object> patch, String ifMatch, Authentication caller) {
        StoredRegistration current = changeable(id, caller, ifMatch);
        Map<String, String> details = new LinkedHashMap<>();
        String account = current.account(), job = current.job(), reply = current.reply(), zone = current.zone(),
                schedule = current.schedule();
        double rateLimit = current.rateLimit();
        boolean autoProvision = current.autoProvision();
        List<String> slugs = current.slugs();
        for (Map.Entry<String, Object> field : patch.entrySet()) {
            Object value = field.getValue();
            details.put(field.getKey(), String.valueOf(value));
            switch (field.getKey()) {
                case "account" -> account = text(field.getKey(), value, true);
                case "job" -> job = text(field.getKey(), value, false);
                case "reply" -> reply = value == null ? "OK" : text(field.getKey(), value, true);
                case "zone" -> zone = value == null ? "UTC" : text(field.getKey(), value, true);
                case "schedule" -> schedule = text(field.getKey(), value, false);
                case "rateLimit" -> rateLimit = number(field.getKey(), value);
                case "autoProvision" -> autoProvision = Boolean.TRUE.equals(value);
                case "slugs" -> slugs = strings(field.getKey(), value);
                default -> throw new InvalidRegistration("'" + field.getKey() + "' cannot be changed; fields that can: "
                        + "account, job, reply, zone, schedule, rateLimit, autoProvision, slugs (to change the token: "
                        + "POST .../rotate)");
            }
        }
        StoredRegistration changed = new StoredRegistration(id, current.source(), current.tenant(), account, job, reply,
                zone, rateLimit, schedule, current.pingKey(), autoProvision, slugs, current.tokens(),
                current.revision() + 1, current.createdAt(), Instant.now(), caller.getName(), null);
        validate(changed);
        registrations.write(id, changed, MDC.get(CloudEventRecords.TRACE_ID_MDC), properties.publishTimeout());
        changed(caller, changed, "changed", details);
        return ResponseEntity.ok().eTag(etag(changed)).body(view(changed, null));
    }

    @PostMapping("/api/v1/registrations/{id}/rotate")
    ResponseEntity<?> rotate(@PathVariable String id, @RequestParam(required = false) String grace,
                             @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                             Authentication caller) {
        return registrations.exclusively(properties.publishTimeout(), () -> rotateAlone(id, grace, ifMatch, caller));
    }

    /** {@link #rotate}, decided alone. */
    private ResponseEntity<?> rotateAlone(String id, String grace, String ifMatch, Authentication caller) {
        StoredRegistration current = changeable(id, caller, ifMatch);
        Duration keep;
        try {
            keep = grace == null ? properties.rotationGrace() : DurationStyle.detectAndParse(grace);
        } catch (IllegalArgumentException e) {
            throw new InvalidRegistration("grace must be a duration such as 24h, 30m or PT1H");
        }
        if (keep.isNegative() || keep.compareTo(MAX_GRACE) > 0) {
            throw new InvalidRegistration("grace must be between 0s and 30d");
        }
        Instant now = Instant.now();
        Instant oldUntil = now.plus(keep);
        String token = newToken(current.source(), current.pingKey());
        List<StoredRegistration.TokenHash> tokens = new ArrayList<>();
        tokens.add(new StoredRegistration.TokenHash(Registrations.hash(token), null));
        for (StoredRegistration.TokenHash old : current.tokens()) {
            Instant until = old.notAfter() == null || old.notAfter().isAfter(oldUntil) ? oldUntil : old.notAfter();
            if (until.isAfter(now) && tokens.size() < 3) {
                tokens.add(new StoredRegistration.TokenHash(old.sha256(), until));
            }
        }
        StoredRegistration rotated = new StoredRegistration(id, current.source(), current.tenant(), current.account(),
                current.job(), current.reply(), current.zone(), current.rateLimit(), current.schedule(),
                current.pingKey(), current.autoProvision(), current.slugs(), tokens, current.revision() + 1,
                current.createdAt(), now, caller.getName(), null);
        registrations.write(id, rotated, MDC.get(CloudEventRecords.TRACE_ID_MDC), properties.publishTimeout());
        changed(caller, rotated, "rotated", Map.of("previousTokenValidUntil", oldUntil.toString()));
        return ResponseEntity.ok().eTag(etag(rotated)).body(view(rotated, token));
    }

    @DeleteMapping("/api/v1/registrations/{id}")
    ResponseEntity<?> revoke(@PathVariable String id,
                             @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                             Authentication caller) {
        return registrations.exclusively(properties.publishTimeout(), () -> revokeAlone(id, ifMatch, caller));
    }

    /** {@link #revoke}, decided alone. */
    private ResponseEntity<?> revokeAlone(String id, String ifMatch, Authentication caller) {
        StoredRegistration current = changeable(id, caller, ifMatch);
        String traceId = MDC.get(CloudEventRecords.TRACE_ID_MDC);
        for (String slug : registrations.createdSlugs(id)) {
            registrations.write(id + RegistrationLog.SLUG_INFIX + slug, null, traceId, properties.publishTimeout());
        }
        // kept as revoked, not deleted: its id and tokens stay taken, so nobody can claim a token a host still sends
        Instant now = Instant.now();
        StoredRegistration revoked = new StoredRegistration(id, current.source(), current.tenant(), current.account(),
                current.job(), current.reply(), current.zone(), current.rateLimit(), current.schedule(),
                current.pingKey(), false, List.of(), current.tokens().stream()
                        .map(t -> new StoredRegistration.TokenHash(t.sha256(), now)).toList(), current.revision() + 1,
                current.createdAt(), now, caller.getName(), now);
        registrations.write(id, revoked, traceId, properties.publishTimeout());
        changed(caller, current, "revoked", Map.of());
        return ResponseEntity.noContent().build();
    }

    /** Kafka did not take or return the change in time: nothing is promised, the client tries again. */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> unavailable(RegistrationLog.Unavailable e) {
        log.warn("a registration change failed: {}", e.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Registrations unavailable",
                "The change could not be stored safely; try again.");
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> refused(Refused e) {
        return e.answer;
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> invalid(InvalidRegistration e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid registration", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unreadable(org.springframework.http.converter.HttpMessageNotReadableException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid registration",
                "The body must be a JSON object with the registration's fields.");
    }

    /**
     * The registration {@code caller} may change.
     *
     * @throws Refused 409 for a configuration registration, 404 for one the caller may not see, 412 for a stale
     *                 {@code If-Match}
     */
    private StoredRegistration changeable(String id, Authentication caller, String ifMatch) {
        if (known.seed(id).filter(s -> ApiCaller.mayAct(caller, s.tenant())).isPresent()) {
            throw new Refused(problem(HttpStatus.CONFLICT, "Defined in the configuration", "Registration '" + id
                    + "' comes from vigil.gateway.registrations; change it there."));
        }
        StoredRegistration current = visible(id, caller).orElseThrow(() -> new Refused(notFound(id)));
        if (ifMatch != null && !ifMatch.strip().equals("*") && !ifMatch.strip().equals(etag(current))) {
            throw new Refused(problem(HttpStatus.PRECONDITION_FAILED, "Changed meanwhile", "Registration '" + id
                    + "' is at revision " + current.revision() + "; read it again and retry."));
        }
        return current;
    }

    private Optional<StoredRegistration> visible(String id, Authentication caller) {
        return registrations.get(id).filter(stored -> ApiCaller.mayAct(caller, stored.tenant()));
    }

    private void validate(StoredRegistration stored) {
        if (stored.account() == null || !ACCOUNT.matcher(stored.account()).matches()) {
            throw new InvalidRegistration("account must be an account uid (A-Z a-z 0-9 . _ @ -, up to 128) or '*'");
        }
        if (stored.job() != null && (stored.job().isBlank() || stored.job().length() > 500
                || stored.job().codePoints().anyMatch(Character::isISOControl))) {
            throw new InvalidRegistration("job must be one line of at most 500 characters");
        }
        if (stored.reply().length() > 200 || stored.reply().codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidRegistration("reply must be one line of at most 200 characters");
        }
        try {
            ZoneId.of(stored.zone());
        } catch (DateTimeException e) {
            throw new InvalidRegistration("zone must be a region id such as Europe/Zurich or UTC");
        }
        if (!(stored.rateLimit() == 0 || stored.rateLimit() >= 0.01 && stored.rateLimit() <= 100_000)) {
            throw new InvalidRegistration("rateLimit must be 0 (no limit) or between 0.01 and 100000 calls per second");
        }
        java.util.Set<String> checks = new java.util.HashSet<>(stored.slugs());
        checks.addAll(registrations.createdSlugs(stored.id()));
        if (checks.size() > MAX_SLUGS || stored.slugs().stream().anyMatch(s -> s == null || !SLUG.matcher(s).matches())) {
            throw new InvalidRegistration("slugs must be names of a-z 0-9 _ -, and a ping key has at most " + MAX_SLUGS
                    + " checks (those ?create=1 made included)");
        }
        if (!stored.pingKey() && (stored.autoProvision() || !stored.slugs().isEmpty())) {
            throw new InvalidRegistration("slugs and autoProvision are for ping keys (pingKey: true) only");
        }
        if (stored.pingKey() && stored.job() != null) {
            throw new InvalidRegistration("a ping key's job is the slug of each URL; leave job out");
        }
        try {
            stored.registration().validate();
        } catch (IllegalStateException e) {
            throw new InvalidRegistration(e.getMessage());
        }
    }

    private void changed(Authentication caller, StoredRegistration stored, String action, Map<String, String> details) {
        registrations.tell(Change.now(caller.getName(), stored.tenant(), "registration", stored.id(), action, details));
    }

    private static Map<String, String> describe(StoredRegistration stored) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("source", stored.source().name().toLowerCase(Locale.ROOT));
        details.put("account", stored.account());
        if (stored.job() != null) {
            details.put("job", stored.job());
        }
        if (stored.schedule() != null) {
            details.put("schedule", stored.schedule());
        }
        if (stored.pingKey()) {
            details.put("pingKey", "true");
            details.put("autoProvision", Boolean.toString(stored.autoProvision()));
        }
        return details;
    }

    private RegistrationView view(StoredRegistration stored, String token) {
        List<String> slugs = new ArrayList<>(stored.slugs());
        registrations.createdSlugs(stored.id()).stream().filter(s -> !slugs.contains(s)).sorted().forEach(slugs::add);
        Instant previous = stored.tokens().stream().map(StoredRegistration.TokenHash::notAfter)
                .filter(t -> t != null && t.isAfter(Instant.now())).max(Comparator.naturalOrder()).orElse(null);
        return new RegistrationView(stored.id(), stored.source().name().toLowerCase(Locale.ROOT), stored.tenant(),
                stored.account(), stored.job(), stored.reply(), stored.zone(), stored.rateLimit(), stored.schedule(),
                stored.pingKey(), stored.autoProvision(), slugs, "api", stored.revision(), stored.createdAt(),
                stored.changedAt(), stored.changedBy(), previous, token,
                token == null ? null : setup(stored.source(), stored.pingKey(), stored.reply(), token));
    }

    private static RegistrationView view(Registration seed) {
        return new RegistrationView(seed.id(), seed.source().name().toLowerCase(Locale.ROOT), seed.tenant(),
                seed.account(), seed.job(), seed.reply(), seed.zone().getId(), seed.rateLimit(), seed.schedule(), false,
                false, List.of(), "configuration", 0, null, null, null, null, null, null);
    }

    /** What to give the backup product, with the gateway's public URL ({@code vigil.gateway.public-url}). */
    private Map<String, String> setup(Source source, boolean pingKey, String reply, String token) {
        String base = properties.publicUrl().replaceAll("/+$", "");
        Map<String, String> setup = new LinkedHashMap<>();
        switch (source) {
            case XSIBACKUP -> {
                setup.put("xsibackup", "--on-error=\"" + base + "/hooks/xsibackup/" + token + "/error|" + reply
                        + "\" --on-success=\"" + base + "/hooks/xsibackup/" + token + "/success|" + reply + "\"");
            }
            case RETROSPECT -> setup.put("retroeventhandler.conf", "VIGIL_URL=" + base + "\nVIGIL_TOKEN=" + token);
            case HEALTHCHECKS -> {
                if (pingKey) {
                    setup.put("pingUrl", base + "/ping/" + token + "/<slug>");
                    setup.put("pingUrlCreating", base + "/ping/" + token + "/<slug>?create=1");
                } else {
                    setup.put("borgmatic", "healthchecks:\n    ping_url: " + base + "/ping/" + token);
                    setup.put("runitor", "runitor -api-url " + base + "/ping -uuid " + token + " -- <command>");
                    setup.put("curl", "curl -fsS -m 10 --retry 5 " + base + "/ping/" + token);
                }
            }
            case STONEY -> setup.put("curl", "curl -H 'Authorization: Bearer " + token + "' --data-binary @<file> "
                    + base + "/hooks/stoney/<account>/<prefix>/<file>");
            case GENERIC -> setup.put("curl", "curl -H 'Authorization: Bearer " + token
                    + "' -H 'Content-Type: application/cloudevents+json' --data @event.json " + base + "/api/v1/events");
        }
        return setup;
    }

    private static String newToken(Source source, boolean pingKey) {
        if (source == Source.HEALTHCHECKS && !pingKey) {
            return UUID.randomUUID().toString(); // healthchecks' clients take a check's UUID
        }
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return "vgl_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Source source(String name) {
        if (name == null) {
            throw new InvalidRegistration("source is required: xsibackup, retrospect, stoney, healthchecks or generic");
        }
        try {
            return Source.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRegistration("source must be xsibackup, retrospect, stoney, healthchecks or generic");
        }
    }

    private static String text(String field, Object value, boolean required) {
        if (value == null && !required) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw new InvalidRegistration(field + " must be a string");
        }
        return text;
    }

    private static double number(String field, Object value) {
        if (!(value instanceof Number number)) {
            throw new InvalidRegistration(field + " must be a number");
        }
        return number.doubleValue();
    }

    private static List<String> strings(String field, Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || list.stream().anyMatch(v -> !(v instanceof String))) {
            throw new InvalidRegistration(field + " must be a list of strings");
        }
        return list.stream().map(String.class::cast).toList();
    }

    private static String etag(StoredRegistration stored) {
        return "\"" + stored.revision() + "\"";
    }

    private static ResponseEntity<ProblemDetail> notFound(String id) {
        return problem(HttpStatus.NOT_FOUND, "No such registration", "No registration '" + dev.vigil.model.Text.line(id, 100)
                + "' that this API key may see.");
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create("https://vigil.dev/problems/" + title.toLowerCase(Locale.ROOT).replace(' ', '-')));
        return ResponseEntity.status(status).body(problem);
    }

    /** A change that may not be made, with its answer. */
    static final class Refused extends RuntimeException {
        private final transient ResponseEntity<ProblemDetail> answer;

        Refused(ResponseEntity<ProblemDetail> answer) {
            super(null, null, false, false);
            this.answer = answer;
        }
    }

    /** A request whose content is wrong: 400. */
    static final class InvalidRegistration extends RuntimeException {
        InvalidRegistration(String message) {
            super(message);
        }
    }
}
