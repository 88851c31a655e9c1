package dev.vigil.rules.account;

import dev.vigil.model.BackupEvent;
import dev.vigil.model.EventType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Passes on, keyed by account uid, when an account was active — but only the first time this instance sees the
 * account (a bounded memory), so the activity topic carries a trickle, not every event. After a restart an
 * account may be passed on again; {@link NeverUsedProcessor} keeps only its first time.
 */
public class ActivityForwarder implements Processor<String, BackupEvent, String, Long> {

    private static final int REMEMBERED = 100_000;
    private final Map<String, Boolean> seen = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };
    private ProcessorContext<String, Long> context;

    @Override
    public void init(ProcessorContext<String, Long> context) {
        this.context = context;
    }

    /** Heartbeats are passed on at most this often: the never-used check needs minutes, not seconds. */
    static final long WATERMARK_EVERY_MS = 10_000;
    private Long lastWatermark;

    /**
     * Passes on the ingest time of an account's first event, and a gateway heartbeat (every
     * {@link #WATERMARK_EVERY_MS}) as the watermark, under {@link NeverUsedProcessor#WATERMARK_KEY}, to be sent to
     * every partition of the activity topic.
     */
    @Override
    public void process(Record<String, BackupEvent> record) {
        BackupEvent event = record.value();
        if (event.type() == EventType.HEARTBEAT) {
            long beat = event.occurredAt().toEpochMilli();
            if (lastWatermark == null || beat - lastWatermark >= WATERMARK_EVERY_MS) {
                lastWatermark = beat;
                context.forward(new Record<>(NeverUsedProcessor.WATERMARK_KEY, beat, record.timestamp()));
            }
            return;
        }
        if (seen.put(event.job().account(), Boolean.TRUE) == null) {
            context.forward(new Record<>(event.job().account(), record.timestamp(), record.timestamp()));
        }
    }
}
