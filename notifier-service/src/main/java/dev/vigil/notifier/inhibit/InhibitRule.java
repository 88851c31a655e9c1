package dev.vigil.notifier.inhibit;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Alertmanager's {@code inhibit_rules}: while an alert matching {@code sourceMatchers} fires, the FIRING notifications
 * of alerts matching {@code targetMatchers} that have the same values of the {@code equal} labels are held back,
 * because the source explains them (the account's storage is full, so its backups fail). Matchers are label → value,
 * or {@code ~regex}, as in the route tree; labels: tenant, account, job, rule, severity, source, status, check.
 *
 * @param sourceMatchers which firing alerts inhibit
 * @param targetMatchers which alerts they may inhibit
 * @param equal          labels whose values source and target must share (none: any source inhibits every target)
 */
public record InhibitRule(@DefaultValue Map<String, String> sourceMatchers,
                          @DefaultValue Map<String, String> targetMatchers,
                          @DefaultValue List<String> equal) {
}
