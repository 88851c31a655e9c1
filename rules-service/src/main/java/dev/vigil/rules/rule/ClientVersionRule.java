package dev.vigil.rules.rule;

import dev.vigil.model.AccountSettings;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.rules.job.JobState;
import java.util.Map;
import java.util.Optional;

/** A backup client older than the configured minimum for its kind (stoney's "upgrade" check). */
public class ClientVersionRule implements EventRule {

    private final Map<String, String> minimums;

    public ClientVersionRule(Map<String, String> minimums) {
        this.minimums = minimums;
    }

    @Override
    public String name() {
        return Rules.CLIENT_TOO_OLD;
    }

    @Override
    public Optional<Condition> evaluate(BackupEvent event, JobState state, AccountSettings settings) {
        String identifier = event.attributes().get("client.identifier");
        String version = event.attributes().get("client.version");
        String minimum = identifier == null ? null : minimums.get(identifier);
        if (minimum == null || version == null) {
            return Optional.empty();
        }
        if (compare(version, minimum) < 0) {
            return Optional.of(Condition.holds(Severity.INFO, identifier + " " + version + " on " + event.job().job()
                    + " of account " + event.job().account() + " is older than the minimum " + minimum,
                    Map.of("client", identifier, "version", version, "minimum", minimum)));
        }
        return Optional.of(Condition.clear(identifier + " on " + event.job().job() + " is up to date (" + version + ")"));
    }

    /** Dotted versions compared number by number; a missing part counts as 0, a non-number as text. */
    static int compare(String a, String b) {
        String[] x = a.strip().split("[.\\-]");
        String[] y = b.strip().split("[.\\-]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "0";
            String q = i < y.length ? y[i] : "0";
            int c;
            try {
                c = Long.compare(Long.parseLong(p), Long.parseLong(q));
            } catch (NumberFormatException e) {
                c = p.compareTo(q);
            }
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
