package dev.vigil.notifier.channel.slack;

import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.Json;
import dev.vigil.model.Text;
import dev.vigil.notifier.channel.Channel;
import dev.vigil.notifier.channel.DeliveryException;
import dev.vigil.notifier.channel.http.HttpTargets;
import dev.vigil.notifier.delivery.DeliveryRequest;
import dev.vigil.notifier.routing.Receiver;
import dev.vigil.notifier.routing.Router;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * A Slack incoming webhook, as a Block Kit message: a header with the summary, the job's facts as fields, and
 * a context line. Slack allows about one message per second per webhook; the delivery worker keeps to it and
 * honours {@code Retry-After} on a 429. A 404/410 ("no_service") is permanent: that webhook is gone.
 */
@Component
class SlackChannel implements Channel {

    private final Router router;
    private final HttpTargets http;

    private final dev.vigil.notifier.channel.email.MailRenderer words;

    SlackChannel(Router router, HttpTargets http, dev.vigil.notifier.channel.email.MailRenderer words) {
        this.router = router;
        this.http = http;
        this.words = words;
    }

    @Override
    public String name() {
        return "slack";
    }

    @Override
    public boolean configuredFor(Receiver receiver) {
        return router.settings(receiver.name(), name(), SlackSettings.class).isPresent();
    }

    @Override
    public boolean chat() {
        return true;
    }

    @Override
    public void send(DeliveryRequest request) throws DeliveryException {
        SlackSettings slack = Channel.settings(router, request, name(), SlackSettings.class);
        Alert alert = request.alert();
        http.postJson(slack.url(), Json.write(request.grouped() ? groupMessage(request)
                        : message(alert, words.facts(alert, java.util.Locale.ENGLISH),
                        dev.vigil.notifier.channel.email.MailRenderer.errorLines(alert), words.link(alert))),
                Map.of(HttpTargets.DELIVERY_ID_HEADER, request.deliveryId()));
    }

    /** Slack's limits (Block Kit reference): a section's text, a field's text, the notification text we send. */
    static final int SECTION_TEXT = 3_000;
    static final int FIELD_TEXT = 2_000;
    static final int FALLBACK_TEXT = 3_000;

    /** A group's message: a count, then a line per alert (Slack allows 50 blocks; the first 40 alerts are shown). */
    static Map<String, Object> groupMessage(DeliveryRequest request) {
        List<Alert> alerts = request.alerts();
        long firing = request.firingCount();
        String title = alerts.size() + " backup alerts: " + firing + " firing, " + (alerts.size() - firing) + " resolved";
        List<Map<String, Object>> blocks = new ArrayList<>();
        blocks.add(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", "*" + escape(title) + "*")));
        for (Alert alert : alerts.subList(0, Math.min(alerts.size(), 40))) {
            // a line per alert, within a section's limit whatever the summary and job name hold
            blocks.add(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", icon(alert) + " "
                    + fit(escape((alert.status() == AlertStatus.FIRING ? "" : "Resolved: ") + alert.summary()), 1_500)
                    + "\n_" + fit(escape(alert.job().asString()), 1_200) + " · " + fit(escape(alert.rule()), 200) + "_")));
        }
        blocks.add(Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn", "text",
                "Vigil" + (alerts.size() > 40 ? " · " + (alerts.size() - 40) + " more not shown" : "")))));
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("text", title);
        message.put("blocks", blocks);
        return message;
    }

    private static String icon(Alert alert) {
        return alert.status() != AlertStatus.FIRING ? ":white_check_mark:" : switch (String.valueOf(alert.severity())) {
            case "CRITICAL" -> ":red_circle:";
            case "WARNING" -> ":warning:";
            default -> ":information_source:";
        };
    }

    static Map<String, Object> message(Alert alert) {
        return message(alert, List.of(new dev.vigil.notifier.channel.email.MailRenderer.Fact("Job", alert.job().job()),
                new dev.vigil.notifier.channel.email.MailRenderer.Fact("Account", alert.job().account())),
                dev.vigil.notifier.channel.email.MailRenderer.errorLines(alert), null);
    }

    /** Slack's most fields in one section (Block Kit reference). */
    static final int FIELDS = 10;

    /**
     * One alert as a Block Kit message with the facts a mail gives ({@link dev.vigil.notifier.channel.email.MailRenderer#facts}):
     * the sentence, up to {@value #FIELDS} facts as fields, the error lines as a code block and the job's console link.
     */
    static Map<String, Object> message(Alert alert, List<dev.vigil.notifier.channel.email.MailRenderer.Fact> facts,
                                       List<String> errorLines, String link) {
        boolean firing = alert.status() == AlertStatus.FIRING;
        String icon = icon(alert);
        String title = (firing ? "" : "Resolved: ") + alert.summary();
        List<Map<String, Object>> fields = new ArrayList<>();
        for (var fact : facts.subList(0, Math.min(FIELDS, facts.size()))) {
            fields.add(field(fact.label(), fact.value()));
        }
        List<Map<String, Object>> blocks = new ArrayList<>();
        blocks.add(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text",
                icon + " *" + fit(escape(title), SECTION_TEXT - icon.length() - 3) + "*")));
        blocks.add(Map.of("type", "section", "fields", fields));
        if (!errorLines.isEmpty()) {
            blocks.add(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text",
                    "```" + fit(escape(String.join("\n", errorLines)).replace("```", "'''"), SECTION_TEXT - 6) + "```")));
        }
        blocks.add(Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn", "text",
                (link == null ? "Vigil" : "<" + link.replace("|", "%7C").replace(">", "%3E") + "|Open in Vigil>")
                        + " · since " + alert.startsAt() + (alert.endsAt() == null ? "" : " · resolved " + alert.endsAt())))));
        Map<String, Object> message = new LinkedHashMap<>();
        // the notification text and the fallback without blocks
        message.put("text", icon + " " + fit(escape(title), FALLBACK_TEXT - icon.length() - 1));
        message.put("blocks", blocks);
        return message;
    }

    private static Map<String, Object> field(String name, String value) {
        return Map.of("type", "mrkdwn", "text", "*" + name + "*\n" + fit(escape(value), FIELD_TEXT - name.length() - 3));
    }

    /**
     * {@code escaped} within {@code max} characters: cut with a visible marker that says how much was left out,
     * never inside one of the entities {@link #escape} makes nor inside a surrogate pair.
     */
    static String fit(String escaped, int max) {
        if (escaped.length() <= max) {
            return escaped;
        }
        // the longest marker there can be: what is left out is never more than the whole text
        int end = Math.max(0, max - ("… (" + escaped.length() + " more characters)").length());
        int amp = escaped.lastIndexOf('&', end - 1);
        if (amp >= 0 && amp > end - 5 && escaped.indexOf(';', amp) >= end) {
            end = amp; // do not split &amp; &lt; &gt;
        }
        if (end > 0 && Character.isHighSurrogate(escaped.charAt(end - 1))) {
            end--;
        }
        return escaped.substring(0, end) + "… (" + (escaped.length() - end) + " more characters)";
    }

    /**
     * Slack's three control characters in mrkdwn ({@code <!channel>} and links come from them), after the text is made
     * one clean line: no control or invisible characters (bidi overrides) from what a backup product sent.
     */
    static String escape(String text) {
        return text == null ? "" : Text.line(text, 40_000).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
