package dev.vigil.notifier.channel.slack;

/**
 * A receiver's Slack settings, {@code vigil.notifier.receivers[n].slack}.
 *
 * @param url the incoming webhook URL (a secret: give it through the environment,
 *            e.g. {@code VIGIL_NOTIFIER_RECEIVERS_1_SLACK_URL})
 */
public record SlackSettings(String url) {

    @Override
    public String toString() {
        return "SlackSettings[url=***]";
    }
}
