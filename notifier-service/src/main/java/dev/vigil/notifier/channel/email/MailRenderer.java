package dev.vigil.notifier.channel.email;

import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.notifier.delivery.DeliveryRequest;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /** Detail keys shown in this order, before any other; {@code errorMessage} is shown as the error lines. */
    private static final List<String> ORDER = List.of("host", "source", "lastSuccessAt", "consecutiveFailures",
            "errorCode", "durationSeconds", "expectedAt", "missedRuns", "schedule", "lastStartAt");
    /** Detail keys a person does not need: the sentence says them already. */
    private static final java.util.Set<String> HIDDEN = java.util.Set.of("errorMessage", "outcome", "failureThreshold",
            "vigilOutage");
    /** The most error lines a message quotes. */
    static final int ERROR_LINES = 20;

    private final SpringTemplateEngine engine = new SpringTemplateEngine();
    private final ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
    private final ZoneId zone;
    private final java.util.function.Function<dev.vigil.model.JobKey, String> links;

    /** A renderer writing times in Europe/Zurich, without links to a console. */
    public MailRenderer() {
        this(ZoneId.of("Europe/Zurich"), job -> null);
    }

    @org.springframework.beans.factory.annotation.Autowired
    public MailRenderer(dev.vigil.notifier.NotifierProperties properties) {
        this(properties.mail().zone(), properties.mail()::jobLink);
    }

    /**
     * @param zone  the zone times are written in
     * @param links the console page of a job, or {@code null} for none
     */
    public MailRenderer(ZoneId zone, java.util.function.Function<dev.vigil.model.JobKey, String> links) {
        this.zone = zone;
        this.links = links;
        messages.setBasename("mail/messages");
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
        engine.addTemplateResolver(resolver(TemplateMode.HTML, ".html", 1));
        engine.addTemplateResolver(resolver(TemplateMode.TEXT, ".txt", 2));
        engine.setTemplateEngineMessageSource(messages);
    }

    /** One fact of a mail: a label in the reader's language and its value, written for a person. */
    public record Fact(String label, String value) {
    }

    /**
     * The mail of one delivery request: subject, text and HTML, in the request's language (German or English).
     * One alert: what happened in one sentence, what to do next, the facts (host, job, account, product, since, last
     * good run, failed runs, …) with times in the configured zone and durations in words, the error lines and a link
     * to the job in the console. A group: one table row per alert, firing ones first.
     */
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
        boolean firing = alert.status() == AlertStatus.FIRING;
        Map<String, Object> variables = new java.util.HashMap<>();
        variables.put("alert", alert);
        variables.put("summary", summary);
        variables.put("severity", severity(alert, locale));
        variables.put("firing", firing);
        variables.put("since", time(alert.startsAt(), locale));
        variables.put("until", time(alert.endsAt(), locale));
        variables.put("lasted", alert.duration() == null ? "" : human(alert.duration()));
        variables.put("facts", facts(alert, locale));
        variables.put("errorLines", errorLines(alert));
        variables.put("errorText", String.join("\n", errorLines(alert)));
        variables.put("next", firing ? message("next." + alert.rule(), "next.default", locale)
                : message("next.resolved", "next.resolved", locale));
        variables.put("link", links.apply(alert.job()));
        Context context = new Context(locale, variables);
        return new Mail(subject, engine.process("alert.txt", context), engine.process("alert.html", context));
    }

    /** The console page of the alert's job, or {@code null} without a console. */
    public String link(Alert alert) {
        return links.apply(alert.job());
    }

    /** The facts of an alert, for a person: labels are words, times in the zone, durations and sizes in words. */
    public List<Fact> facts(Alert alert, Locale locale) {
        List<Fact> facts = new java.util.ArrayList<>();
        Map<String, String> details = alert.details();
        if (details.get("host") != null) {
            facts.add(new Fact(label("host", locale), details.get("host")));
        }
        if (!alert.job().job().equals("*")) { // "*": an alert about the whole account
            facts.add(new Fact(label("job", locale), alert.job().job()));
        }
        facts.add(new Fact(label("account", locale), alert.job().account()));
        if (alert.source() != null) {
            facts.add(new Fact(label("source", locale), product(alert.source())));
        }
        facts.add(new Fact(label(alert.status() == AlertStatus.FIRING ? "since" : "began", locale),
                time(alert.startsAt(), locale)));
        if (alert.endsAt() != null) {
            facts.add(new Fact(label("resolvedAt", locale), time(alert.endsAt(), locale) + " ("
                    + human(alert.duration()) + ")"));
        }
        if (alert.status() != AlertStatus.FIRING) {
            // the details are the firing's (its failed run, its error): a resolved message says what ended and when
            return facts;
        }
        java.util.LinkedHashSet<String> keys = new java.util.LinkedHashSet<>(ORDER);
        keys.addAll(new java.util.TreeSet<>(details.keySet()));
        for (String key : keys) {
            String value = details.get(key);
            if (value == null || value.isBlank() || HIDDEN.contains(key) || key.equals("host") || key.equals("source")) {
                continue;
            }
            facts.add(new Fact(label(key, locale), value(key, value, locale)));
        }
        return facts;
    }

    /** The error the product reported, line by line, at most {@value #ERROR_LINES} lines. */
    public static List<String> errorLines(Alert alert) {
        String message = alert.status() == AlertStatus.FIRING ? alert.details().get("errorMessage") : null;
        if (message == null || message.isBlank()) {
            return List.of();
        }
        List<String> lines = message.strip().lines().map(line -> dev.vigil.model.Text.line(line, 300)).toList();
        if (lines.size() > ERROR_LINES) {
            List<String> cut = new java.util.ArrayList<>(lines.subList(0, ERROR_LINES));
            cut.add("… (" + (lines.size() - ERROR_LINES) + " more)");
            return cut;
        }
        return lines;
    }

    private String label(String key, Locale locale) {
        String label = messages.getMessage("field." + key, null, null, locale);
        if (label != null) {
            return label;
        }
        // camelCase to words: daysToFull -> Days to full
        String words = key.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    private String value(String key, String value, Locale locale) {
        if (key.endsWith("At")) {
            try {
                return time(java.time.Instant.parse(value), locale);
            } catch (java.time.format.DateTimeParseException notAnInstant) {
                return value;
            }
        }
        if (key.endsWith("Seconds") || key.equals("duration") || key.equals("durationMedian")) {
            try {
                return human(Duration.ofSeconds(Long.parseLong(value)));
            } catch (NumberFormatException notSeconds) {
                return value;
            }
        }
        if (key.startsWith("bytes") || key.endsWith("Bytes")) {
            try {
                return dev.vigil.model.Text.size(Long.parseLong(value));
            } catch (NumberFormatException notBytes) {
                return value;
            }
        }
        return dev.vigil.model.Text.line(value, 500);
    }

    private static String product(dev.vigil.model.Source source) {
        return switch (source) {
            case XSIBACKUP -> "XSIBackup";
            case RETROSPECT -> "Retrospect";
            case STONEY -> "stoney backup";
            case HEALTHCHECKS -> "ping (healthchecks)";
            default -> source.name().toLowerCase(Locale.ROOT);
        };
    }

    /** A time in the configured zone, e.g. {@code 2026-11-30 07:47 CET} ({@code MEZ} in German). */
    String time(java.time.Instant at, Locale locale) {
        return at == null ? "" : DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", locale).withZone(zone).format(at);
    }

    private String message(String key, String fallback, Locale locale) {
        String message = messages.getMessage(key, null, null, locale);
        return message != null ? message : messages.getMessage(fallback, null, locale);
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
                        "since", time(a.startsAt(), locale),
                        "until", time(a.endsAt(), locale),
                        "lasted", a.duration() == null ? "" : human(a.duration()),
                        "host", a.details().getOrDefault("host", ""),
                        "link", java.util.Objects.requireNonNullElse(links.apply(a.job()), "")))
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
        // a rule without a sentence of its own (a missing key is not an exception: this runs for every mail)
        String key = "summary." + alert.rule() + "." + alert.status().name().toLowerCase(Locale.ROOT);
        String summary = messages.getMessage(key, new Object[] {alert.job().job(), alert.job().account(),
                alert.duration() == null ? "" : human(alert.duration()), reasonSuffix(alert)}, null, locale);
        return summary != null ? summary.strip() : alert.summary();
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
