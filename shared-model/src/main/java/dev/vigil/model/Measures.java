package dev.vigil.model;

/**
 * The numbers a source reported for a run; {@code null} where the source said nothing. Bytes, not the
 * source's unit: adapters convert KB and MiB.
 */
public record Measures(Long bytes, Long files, Long durationSeconds, Integer errorCount,
                       Long quotaUsedBytes, Long quotaTotalBytes) {

    public static final Measures NONE = new Measures(null, null, null, null, null, null);

    /** Used share of the quota in percent, or {@code null} when the quota is unknown or zero. */
    public Double quotaUsedPercent() {
        if (quotaUsedBytes == null || quotaTotalBytes == null || quotaTotalBytes == 0) {
            return null;
        }
        return quotaUsedBytes * 100.0 / quotaTotalBytes;
    }
}
