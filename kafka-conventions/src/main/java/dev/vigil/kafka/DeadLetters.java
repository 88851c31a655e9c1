package dev.vigil.kafka;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code vigil_dead_letters_total{topic}}: records given up on and written to {@code <topic>.dlt}. Its growth is
 * what an operator alerts on; the dead-letter topic keeps the records themselves.
 */
public final class DeadLetters {

    public static final String METER = "vigil.dead.letters";

    private DeadLetters() {
    }

    /** Registers the counter of a topic at zero, so a rate can be taken before its first dead letter. */
    public static void register(MeterRegistry meters, String topic) {
        if (meters != null) {
            meters.counter(METER, "topic", topic);
        }
    }

    public static void count(MeterRegistry meters, String topic) {
        if (meters != null) {
            meters.counter(METER, "topic", topic).increment();
        }
    }
}
