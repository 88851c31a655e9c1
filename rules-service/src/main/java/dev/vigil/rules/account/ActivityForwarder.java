package dev.vigil.rules.account;

import dev.vigil.model.BackupEvent;
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

    @Override
    public void process(Record<String, BackupEvent> record) {
        BackupEvent event = record.value();
        if (seen.put(event.job().account(), Boolean.TRUE) == null) {
            long at = (event.occurredAt() != null ? event.occurredAt() : event.receivedAt()).toEpochMilli();
            context.forward(new Record<>(event.job().account(), at, record.timestamp()));
        }
    }
}
