package dev.vigil.gateway.ingest;

/** Kafka did not take the event in time: the caller is told to come back ({@code 503} + {@code Retry-After}). */
public class IngestUnavailableException extends RuntimeException {

    public IngestUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
