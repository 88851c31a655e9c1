package dev.vigil.rules;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Rule settings; an account's own settings from the directory take precedence where they exist.
 *
 * @param failedBackup the failed-backup rule
 */
@ConfigurationProperties("vigil.rules")
public record RulesProperties(@DefaultValue FailedBackup failedBackup) {

    /** @param consecutiveFailures failed runs in a row before the alert fires (stoney's "after how many") */
    public record FailedBackup(@DefaultValue("1") int consecutiveFailures) {
    }
}
