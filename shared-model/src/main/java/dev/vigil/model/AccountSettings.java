package dev.vigil.model;

import java.time.Instant;

/**
 * One account's settings as the directory holds them. Value of the compacted {@code backup.accounts}, keyed by
 * the account uid; a tombstone (null value) means the account left the directory. {@code null} fields mean
 * "the account has no own setting": the rules' defaults apply.
 *
 * @param quotaThresholdPercent used quota share above which the quota alert fires
 * @param consecutiveFailures   failed runs in a row before the failed-backup alert fires
 * @param createdAt             when the account was provisioned
 * @param active                false while the account is being deleted (no "never used" alarm for it)
 */
public record AccountSettings(String account, String tenant, Double quotaThresholdPercent, Integer consecutiveFailures,
                              Instant createdAt, boolean active, Instant syncedAt) {
}
