package dev.vigil.gateway.ingest;

/**
 * Kafka refused the event for a reason on Vigil's side that sending again cannot cure (the gateway may not write the
 * topic, the record cannot be serialised): answered {@code 500}, not {@code 503}, and counted, so an operator is told
 * instead of clients retrying for ever.
 */
public class IngestMisconfiguredException extends RuntimeException {

    public IngestMisconfiguredException(String message, Throwable cause) {
        super(message, cause);
    }
}
