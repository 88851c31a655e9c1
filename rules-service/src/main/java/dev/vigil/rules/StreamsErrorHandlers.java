package dev.vigil.rules;

import dev.vigil.kafka.DeadLetters;
import io.micrometer.core.instrument.Metrics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No record can stop the rules. Kafka Streams' three exception handlers, configured in {@code rules.yml}, log the
 * failure, write the record as it was read (with the exception in {@code __streams.errors.*} headers) to the
 * dead-letter topic named by {@code errors.dead.letter.queue.topic.name} (Kafka Streams' own dead-letter queue,
 * KIP-1034), count it in {@code vigil_dead_letters_total{topic}} (the topic it came from) and go on with the next
 * record. A record whose processing throws, one that cannot be read, and one whose result cannot be written are
 * handled alike; only retriable production errors (a broker briefly away) are retried.
 */
public final class StreamsErrorHandlers {

    private static final Logger log = LoggerFactory.getLogger(StreamsErrorHandlers.class);

    private StreamsErrorHandlers() {
    }

    private static void count(ErrorHandlerContext context) {
        DeadLetters.count(Metrics.globalRegistry, context.topic() == null ? "punctuation" : context.topic());
    }

    /** A processor (or punctuation) threw: dead-letter the source record and continue. */
    public static class Processing extends LogAndContinueProcessingExceptionHandler {
        @Override
        public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
                                                               Exception exception) {
            count(context);
            return super.handleError(context, record, exception);
        }
    }

    /** A record that is not a readable event (bytes that are not JSON, a missing required field): dead-letter it. */
    public static class Deserialization extends LogAndContinueExceptionHandler {
        @Override
        public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                                    ConsumerRecord<byte[], byte[]> record,
                                                                    Exception exception) {
            count(context);
            return super.handleError(context, record, exception);
        }
    }

    /**
     * A result that cannot be written (too large, not serialisable): Kafka Streams' default handler decides and builds
     * the dead letter; where it would fail the client, the record is skipped instead. Retriable errors are retried.
     */
    public static class Production extends DefaultProductionExceptionHandler {

        @Override
        public ProductionExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                               ProducerRecord<byte[], byte[]> record, Exception exception) {
            return resume(context, record.topic(), exception, super.handleError(context, record, exception));
        }

        @Override
        public ProductionExceptionHandler.Response handleSerializationError(ErrorHandlerContext context,
                                                                            ProducerRecord record, Exception exception,
                                                                            SerializationExceptionOrigin origin) {
            return resume(context, record.topic(), exception,
                    super.handleSerializationError(context, record, exception, origin));
        }

        private static ProductionExceptionHandler.Response resume(ErrorHandlerContext context, String target,
                                                                  Exception exception,
                                                                  ProductionExceptionHandler.Response decided) {
            if (decided.result() != ProductionExceptionHandler.Result.FAIL) {
                return decided;
            }
            log.warn("a result for {} could not be written (source {}-{}@{}); dead-lettered and skipped: {}", target,
                    context.topic(), context.partition(), context.offset(), exception.toString());
            count(context);
            return ProductionExceptionHandler.Response.resume(decided.deadLetterQueueRecords());
        }
    }
}
