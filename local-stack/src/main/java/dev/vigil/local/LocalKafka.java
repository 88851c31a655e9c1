package dev.vigil.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) running in this JVM on a fixed port,
 * with its data in a folder so it survives a restart of the local stack. It is Kafka's own server, formatted
 * with Kafka's own storage tool: the same code a production broker runs.
 */
public final class LocalKafka implements AutoCloseable {

    private final KafkaRaftServer server;
    private final int port;

    private LocalKafka(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static LocalKafka start(int port, Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        int controllerPort = port + 1;
        Properties props = new Properties();
        props.put("node.id", "1");
        props.put("process.roles", "broker,controller");
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        props.put("log.dirs", dataDir.toAbsolutePath().toString());
        props.put("num.partitions", "3");
        props.put("auto.create.topics.enable", "false");
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");

        return formatAndStart(props, dataDir, dataDir.resolveSibling("server.properties"), port,
                Uuid.randomUuid().toString(), "--standalone");
    }

    /**
     * Formats the node's storage on its first start ({@code kafka-storage format} with {@code props} written to
     * {@code config}, the cluster id and the quorum options given) and starts it.
     */
    private static LocalKafka formatAndStart(Properties props, Path dataDir, Path config, int port, String clusterId,
                                             String... quorum) throws IOException {
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            try (OutputStream out = Files.newOutputStream(config)) {
                props.store(out, "written by the Vigil local stack");
            }
            java.util.List<String> format = new java.util.ArrayList<>(java.util.List.of("format", "-t", clusterId,
                    "-c", config.toString()));
            format.addAll(java.util.List.of(quorum));
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int rc = StorageTool.execute(format.toArray(String[]::new), new PrintStream(output, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IllegalStateException("kafka storage format failed: " + output.toString(StandardCharsets.UTF_8));
            }
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        return new LocalKafka(server, port);
    }

    /** The first client port of the three-node cluster; node N listens on {@code CLUSTER_PORT + N - 1}. */
    private static final int CLUSTER_PORT = 29091;

    /**
     * Node {@code nodeId} (1, 2 or 3) of a three-node KRaft cluster on this machine, each node broker and controller
     * (a static quorum of the three), as production runs it: replication factor 3 and {@code min.insync.replicas} 2,
     * so the cluster keeps accepting writes with any one node down. Client port {@code 29090 + nodeId}, controller
     * port {@code 29190 + nodeId}. Meant for fault drills: each node is its own process, killed and restarted alone.
     */
    public static LocalKafka startClusterNode(int nodeId, Path dataDir) throws IOException {
        if (nodeId < 1 || nodeId > 3) {
            throw new IllegalArgumentException("vigil.local.cluster-node is 1, 2 or 3, not " + nodeId);
        }
        Files.createDirectories(dataDir);
        int port = CLUSTER_PORT + nodeId - 1;
        int controllerPort = port + 100;
        Properties props = new Properties();
        props.put("node.id", Integer.toString(nodeId));
        props.put("process.roles", "broker,controller");
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.quorum.voters", "1@127.0.0.1:29191,2@127.0.0.1:29192,3@127.0.0.1:29193");
        props.put("log.dirs", dataDir.toAbsolutePath().toString());
        props.put("num.partitions", "3");
        props.put("auto.create.topics.enable", "false");
        props.put("default.replication.factor", "3");
        props.put("min.insync.replicas", "2");
        props.put("offsets.topic.replication.factor", "3");
        props.put("transaction.state.log.replication.factor", "3");
        props.put("transaction.state.log.min.isr", "2");
        props.put("group.initial.rebalance.delay.ms", "0");
        // one cluster id for the three nodes; the static quorum is in controller.quorum.voters
        return formatAndStart(props, dataDir, dataDir.resolveSibling("server-" + nodeId + ".properties"), port,
                new Uuid(0x5669676c436c7573L, 0x7465724c6f63616cL).toString());
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
