package dev.vigil.kafka;

/**
 * How Vigil's own control records on {@code backup.events} are told apart from what callers send. Only the gateway
 * writes heartbeats; it marks them with a header that no hook can set (the gateway never copies a caller's headers
 * to Kafka), and keys them under the reserved tenant {@value #RESERVED_TENANT}, which no registration may use.
 */
public final class IngestControl {

    /** Kafka header that marks a control record; its value names the kind, e.g. {@value #HEARTBEAT}. */
    public static final String HEADER = "vigil_control";
    /** Value of {@link #HEADER} on a gateway heartbeat. */
    public static final String HEARTBEAT = "heartbeat";
    /** Tenant of Vigil's own job keys ({@code vigil/gateway/<instance>}); refused for any registration. */
    public static final String RESERVED_TENANT = "vigil";

    private IngestControl() {
    }
}
