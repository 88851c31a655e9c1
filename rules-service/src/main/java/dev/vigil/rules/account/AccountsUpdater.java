package dev.vigil.rules.account;

import dev.vigil.model.AccountSettings;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global {@code accounts} store equal to the compacted {@code backup.accounts} topic, so every rule
 * reads an account's settings locally, never from LDAP on the hot path.
 */
public class AccountsUpdater implements Processor<String, AccountSettings, Void, Void> {

    public static final String STORE = "accounts";
    private KeyValueStore<String, AccountSettings> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, AccountSettings> record) {
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
