package dev.vigil.model;

/**
 * Kafka header names of the CloudEvents Kafka protocol binding (binary mode), which every Vigil record carries
 * so that a subscriber using any CloudEvents SDK can read its attributes. The JSON value is the record itself.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String CONTENT_TYPE = "content-type";
    /** Carried from the hook to the delivery so one backup's story can be followed across services. */
    public static final String TRACE_ID = "vigil_traceid";

    public static final String SPEC_VERSION_1_0 = "1.0";

    private CloudEventHeaders() {
    }
}
