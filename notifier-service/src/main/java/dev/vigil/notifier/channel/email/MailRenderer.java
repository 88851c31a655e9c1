package dev.vigil.notifier.channel.email;

import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.notifier.delivery.DeliveryRequest;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.NoSuchMessageException;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.stereotype.Component;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * Renders an alert mail from Thymeleaf templates ({@code templates/mail/alert.html} and {@code alert.txt}; a
 * group's mail from {@code group.html} and {@code group.txt}) and
 * the messages in {@code mail/messages*.properties}, in the language of the request (English or German).
 */
@Component
public class MailRenderer {

    /** The parts of one mail. */
    public record Mail(String subject, String text, String html) {

        /** A subject is one line of at most {@value #SUBJECT_LIMIT} characters (RFC 5322 allows 998 per line). */
        public Mail {
            subject = dev.vigil.model.Text.line(subject, SUBJECT_LIMIT);
        }
    }

    /** The longest subject: what a mail client shows, far below RFC 5322's 998 characters per header line. */
    public static final int SUBJECT_LIMIT = 250;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final SpringTemplateEngine engine = new SpringTemplateEngine();
    private final ResourceBundleMessageSource messages = new ResourceBundleMessageSource();

    public MailRenderer() {
        messages.setBasename("mail/messages");
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
        engine.addTemplateResolver(resolver(TemplateMode.HTML, ".html", 1));
        engine.addTemplateResolver(resolver(TemplateMode.TEXT, ".txt", 2));
        engine.setTemplateEngineMessageSource(messages);
    }

    public Mail render(DeliveryRequest request) {
        Alert alert = request.alert();
        Locale locale = Locale.forLanguageTag(request.language() == null ? "en" : request.language());
        if (request.grouped()) {
            return renderGroup(request, locale);
        }
        String summary = summary(alert, locale);
        String subject = messages.getMessage(alert.status() != AlertStatus.FIRING ? "subject.resolved"
                        : request.reminder() > 0 ? "subject.reminder" : "subject.firing",
                new Object[] {summary, severity(alert, locale)}, locale);

        Context context = new Context(locale, Map.of(
                "alert", alert,
                "summary", summary,
                "severity", severity(alert, locale),
                "firing", alert.status() == AlertStatus.FIRING,
                "since", alert.startsAt() == null ? "" : TIME.format(alert.startsAt()),
                "until", alert.endsAt() == null ? "" : TIME.format(alert.endsAt()),
                "lasted", alert.duration() == null ? "" : human(alert.duration()),
                "details", alert.details()));
        return new Mail(subject, engine.process("alert.txt", context), engine.process("alert.html", context));
    }

    /** One mail about the alerts of a group: a line per alert, firing ones first. */
    private Mail renderGroup(DeliveryRequest request, Locale locale) {
        List<Alert> alerts = request.alerts();
        List<Map<String, Object>> items = alerts.stream()
                .sorted(Comparator.comparing((Alert a) -> a.status() != AlertStatus.FIRING))
                .map(a -> Map.<String, Object>of(
                        "alert", a,
                        "summary", summary(a, locale),
                        "firing", a.status() == AlertStatus.FIRING,
                        "since", a.startsAt() == null ? "" : TIME.format(a.startsAt()),
                        "until", a.endsAt() == null ? "" : TIME.format(a.endsAt()),
                        "lasted", a.duration() == null ? "" : human(a.duration())))
                .toList();
        long firing = request.firingCount();
        String first = (String) items.get(0).get("summary");
        String subject = messages.getMessage("subject.group", new Object[] {alerts.size(), firing,
                alerts.size() - firing, alerts.size() > 1 ? first + ", …" : first}, locale);
        Context context = new Context(locale, Map.of("items", items, "count", alerts.size(), "firingCount", firing,
                "resolvedCount", alerts.size() - firing, "subject", subject));
        return new Mail(subject, engine.process("group.txt", context), engine.process("group.html", context));
    }

    /**
     * The summary in the reader's language where a message exists for the rule (German), else the rule's own
     * line, which is English and the most precise.
     */
    private String summary(Alert alert, Locale locale) {
        String key = "summary." + alert.rule() + "." + alert.status().name().toLowerCase(Locale.ROOT);
        try {
            return messages.getMessage(key, new Object[] {alert.job().job(), alert.job().account(),
                    alert.duration() == null ? "" : human(alert.duration()),
                    reasonSuffix(alert)}, locale).strip();
        } catch (NoSuchMessageException e) {
            return alert.summary();
        }
    }

    /** ": first line of the error", or nothing when the source gave no message. */
    private static String reasonSuffix(Alert alert) {
        String first = alert.details().getOrDefault("errorMessage", "").strip().lines().findFirst().orElse("");
        return first.isEmpty() ? "" : ": " + (first.length() > 160 ? first.substring(0, 157) + "..." : first);
    }

    private String severity(Alert alert, Locale locale) {
        return messages.getMessage("severity." + String.valueOf(alert.severity()).toLowerCase(Locale.ROOT), null,
                String.valueOf(alert.severity()), locale);
    }

    /** {@code 43s}, {@code 14m 5s}, {@code 2h 5m}: the same words in every language ({@link dev.vigil.model.Text#duration}). */
    static String human(Duration duration) {
        return dev.vigil.model.Text.duration(duration);
    }

    private static ClassLoaderTemplateResolver resolver(TemplateMode mode, String suffix, int order) {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("templates/mail/");
        resolver.setResolvablePatterns(java.util.Set.of("*" + suffix));
        resolver.setTemplateMode(mode);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setOrder(order);
        resolver.setCacheable(true);
        return resolver;
    }
}
