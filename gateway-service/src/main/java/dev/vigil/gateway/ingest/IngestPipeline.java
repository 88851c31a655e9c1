package dev.vigil.gateway.ingest;

import dev.vigil.gateway.registration.Registration;
import dev.vigil.gateway.registration.Registrations;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.Source;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * The one way a hook becomes an event, whatever its source: a source is its controller (routes, answers) and a
 * parser; every step that must not differ between sources happens here, in this order:
 * <ol>
 *   <li><b>authenticate</b> the token before anything of the call is read (a wrong one is {@code 401}, counted and
 *       only sampled on {@code backup.rejected});</li>
 *   <li><b>authorise</b> what the source checks of the registration before reading (the account in a URL);</li>
 *   <li><b>read</b> the input within its limit ({@code 413}/{@code 414} beyond, kept) and decode it ({@link BodyText});</li>
 *   <li><b>admit</b> it within the registration's rate limit ({@code 429});</li>
 *   <li><b>parse</b> it into an event ({@code 4xx} with the reason; the input kept on {@code backup.rejected});</li>
 *   <li><b>publish</b> it, masked, with the registration's schedule, and answer only once Kafka acknowledged it
 *       ({@link EventPublisher}).</li>
 * </ol>
 */
@Component
public class IngestPipeline {

    private final Registrations registrations;
    private final EventPublisher publisher;
    private final java.time.Duration bodyDeadline;
    private final String pingDefaultSchedule;

    public IngestPipeline(Registrations registrations, EventPublisher publisher,
                          dev.vigil.gateway.GatewayProperties properties) {
        this.registrations = registrations;
        this.publisher = publisher;
        this.bodyDeadline = properties.bodyDeadline();
        this.pingDefaultSchedule = properties.pingDefaultSchedule();
    }

    /** How a source's input is read. */
    public sealed interface Input {

        /** The request body, at most {@code limit} bytes ({@code 413} beyond). */
        record Body(DataSize limit) implements Input {
        }

        /** The request body, any size: its head and tail are kept ({@link BodyText#read}), as healthchecks does. */
        record HeadAndTail() implements Input {
        }

        /**
         * The query string, at most {@code limit} characters ({@code 414} beyond): XSIBackup's payload.
         *
         * @param keptAs what of a refused query is kept on {@code backup.rejected}: its secrets masked inside the
         *               source's own encoding
         */
        record Query(DataSize limit, java.util.function.UnaryOperator<String> keptAs) implements Input {
        }
    }

    /**
     * One authenticated call, read.
     *
     * @param text       the input as text (the decoded body, or the query string as sent)
     * @param truncated  true when only the head and tail of a larger body were kept
     * @param totalBytes the body's size as sent
     */
    public record Call(Registration registration, String text, boolean truncated, long totalBytes,
                       Instant receivedAt, HttpServletRequest request) {
    }

    /** A call that is on Kafka: the registration that made it and its event. */
    public record Accepted(Registration registration, BackupEvent event) {
    }

    /** What a source makes of a call. */
    @FunctionalInterface
    public interface Parser {
        /** @throws HookRejectedException with the status and reason, when the input is not what the source sends */
        BackupEvent toEvent(Call call);
    }

    /** A check of the registration a source makes before the input is read (the account a URL names). */
    @FunctionalInterface
    public interface Authorization {
        /** @throws HookRejectedException {@code 403} when the registration may not make this call */
        void check(Registration registration);
    }

    /** Every step, for a source whose callers present a token ({@code Authorization: Bearer}, a URL segment). */
    public Accepted accept(Source source, String token, Authorization authorization, Input input,
                              HttpServletRequest request, Parser parser) {
        Instant receivedAt = Instant.now();
        Registration registration = registrations.authenticated(source, token);
        authorization.check(registration);
        return accept(registration, null, receivedAt, input, request, parser);
    }

    /**
     * As {@link #accept(Source, String, Authorization, Input, HttpServletRequest, Parser)}, for a call made for
     * {@code account}: when the registration acts for any account ({@code *}), each account is admitted within a rate
     * of its own.
     */
    public Accepted accept(Source source, String token, String account, Authorization authorization, Input input,
                           HttpServletRequest request, Parser parser) {
        Instant receivedAt = Instant.now();
        Registration registration = registrations.authenticated(source, token);
        authorization.check(registration);
        return accept(registration, "*".equals(registration.account()) ? account : null, receivedAt, input, request,
                parser);
    }

    /**
     * The steps after authentication, for a source that finds its registration its own way (pings: by UUID or by
     * ping key and slug, answering healthchecks' {@code 404}).
     */
    public Accepted accept(Registration registration, Instant receivedAt, Input input, HttpServletRequest request,
                              Parser parser) {
        return accept(registration, null, receivedAt, input, request, parser);
    }

    /**
     * As {@link #accept(Registration, Instant, Input, HttpServletRequest, Parser)}, for one of the callers the
     * registration stands for ({@code caller}: a ping key's check, an account; {@code null} for the registration
     * itself), which is admitted within a rate of its own ({@link Registrations#admit(Registration, String, String)}).
     */
    public Accepted accept(Registration registration, String caller, Instant receivedAt, Input input,
                           HttpServletRequest request, Parser parser) {
        String source = registration.source().name().toLowerCase(Locale.ROOT);
        BackupEvent event;
        try {
            Call call = read(registration, receivedAt, input, request, source);
            registrations.admit(registration, caller, call.text());
            event = parser.toEvent(call);
        } catch (HookRejectedException e) {
            throw input instanceof Input.Query query && e.raw() != null ? e.keeping(query.keptAs().apply(e.raw())) : e;
        }
        // a ping check without a schedule is expected as healthchecks expects every check: once a period
        publisher.publish(event, registration.scheduleAttributes(
                registration.source() == dev.vigil.model.Source.HEALTHCHECKS ? pingDefaultSchedule : null));
        return new Accepted(registration, event);
    }

    /** The request's body, refused with {@code 408} once it has taken longer than the body deadline to arrive. */
    private java.io.InputStream body(HttpServletRequest request, String source) throws IOException {
        return new BodyDeadline(request.getInputStream(), bodyDeadline, source);
    }

    private Call read(Registration registration, Instant receivedAt, Input input, HttpServletRequest request,
                      String source) {
        if (input instanceof Input.Body body) {
            byte[] bytes;
            try {
                bytes = RequestBodies.read(body(request, source), body.limit(), source);
            } catch (IOException e) {
                throw RequestBodies.unreadable(e, source);
            }
            return new Call(registration, BodyText.decode(bytes, request.getContentType()).text(), false,
                    bytes.length, receivedAt, request);
        }
        if (input instanceof Input.Query query) {
            String text = request.getQueryString();
            if (text != null && text.length() > query.limit().toBytes()) {
                throw new HookRejectedException(HttpStatus.URI_TOO_LONG, source, "The query is " + text.length()
                        + " characters long; at most " + query.limit().toBytes() + " are accepted.", text);
            }
            return new Call(registration, text == null ? "" : text, false, text == null ? 0 : text.length(),
                    receivedAt, request);
        }
        BodyText.Raw raw;
        try {
            raw = BodyText.read(body(request, source));
        } catch (IOException e) {
            throw RequestBodies.unreadable(e, source);
        } catch (UncheckedIOException e) {
            throw RequestBodies.unreadable(e.getCause(), source);
        }
        return new Call(registration, BodyText.decode(raw, request.getContentType()).text(), raw.cut(), raw.total(),
                receivedAt, request);
    }

    /**
     * The answer to an accepted hook as JSON, whatever the caller's {@code Accept} says: the event is on Kafka, so
     * content negotiation must never turn it into a {@code 406} the caller would take for a failure.
     */
    public static org.springframework.http.ResponseEntity<java.util.Map<String, Object>> answer(BackupEvent event,
                                                                                                java.util.Map<String, Object> more) {
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("id", event.id());
        body.put("type", event.type().name());
        body.put("job", event.job().asString());
        body.putAll(more);
        return org.springframework.http.ResponseEntity.ok().contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body(body);
    }

    /** No check beyond the token. */
    public static final Authorization ANY = registration -> { };
}
