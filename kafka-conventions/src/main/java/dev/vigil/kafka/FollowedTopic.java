package dev.vigil.kafka;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.context.SmartLifecycle;

/**
 * An in-memory view of a topic that a service keeps up to date (a {@link TopicFollower} as a Spring lifecycle
 * bean): it has read the whole topic before the listener containers start, so no listener runs without it.
 */
public abstract class FollowedTopic implements SmartLifecycle {

    private final TopicFollower follower;

    protected FollowedTopic(Map<String, Object> consumerConfig, String topic) {
        this.follower = new TopicFollower(consumerConfig, topic, this::apply);
    }

    /** Folds one record of the topic into the view; called on the follower's thread. */
    protected abstract void apply(ConsumerRecord<String, byte[]> record);

    /** Called once the view has caught up at start-up. */
    protected void caughtUp() {
    }

    @Override
    public void start() {
        follower.start(Duration.ofSeconds(60));
        caughtUp();
    }

    @Override
    public void stop() {
        follower.close();
    }

    @Override
    public boolean isRunning() {
        return follower.isRunning();
    }

    /** Before the listener containers (phase {@code Integer.MAX_VALUE - 100}). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }
}
