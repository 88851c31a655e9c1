package dev.vigil.gateway;

import dev.vigil.kafka.test.TopicTail;
import dev.vigil.model.Topics;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The gateway on a real (in-process KRaft) broker, with one registration per source. Subclasses share one
 * application context and one broker; each test tails the topics from its own start.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=gateway",
        "management.server.port=0",
        "vigil.gateway.heartbeat-interval=1h",
        "vigil.gateway.registrations[0].id=esxi-07",
        "vigil.gateway.registrations[0].token=xsi-token-for-tests-0001",
        "vigil.gateway.registrations[0].source=xsibackup",
        "vigil.gateway.registrations[0].tenant=acme",
        "vigil.gateway.registrations[0].account=3723707",
        "vigil.gateway.registrations[0].reply=BBKING",
        "vigil.gateway.registrations[1].id=retro-engine",
        "vigil.gateway.registrations[1].token=retro-token-for-tests-01",
        "vigil.gateway.registrations[1].source=retrospect",
        "vigil.gateway.registrations[1].tenant=acme",
        "vigil.gateway.registrations[1].account=3723707",
        "vigil.gateway.registrations[1].zone=Europe/Zurich",
        "vigil.gateway.registrations[2].id=stoney-backup",
        "vigil.gateway.registrations[2].token=stoney-token-for-tests-1",
        "vigil.gateway.registrations[2].source=stoney",
        "vigil.gateway.registrations[2].tenant=stoney",
        "vigil.gateway.registrations[2].account=*",
        "vigil.gateway.registrations[2].zone=Europe/Zurich",
        "vigil.gateway.registrations[3].id=borg-nightly",
        "vigil.gateway.registrations[3].token=5f3b6a8e-2f1c-4c11-9a55-0c6b3c1d7e42",
        "vigil.gateway.registrations[3].source=healthchecks",
        "vigil.gateway.registrations[3].tenant=acme",
        "vigil.gateway.registrations[3].account=3723707",
        "vigil.gateway.registrations[3].job=borg-nightly",
        "vigil.gateway.registrations[3].schedule=1d",
        "vigil.gateway.registrations[4].id=generic-app",
        "vigil.gateway.registrations[4].token=generic-token-for-tests1",
        "vigil.gateway.registrations[4].source=generic",
        "vigil.gateway.registrations[4].tenant=acme",
        "vigil.gateway.registrations[4].account=3723707",
        "vigil.gateway.registrations[5].id=limited",
        "vigil.gateway.registrations[5].token=limited-token-for-tests1",
        "vigil.gateway.registrations[5].source=retrospect",
        "vigil.gateway.registrations[5].tenant=acme",
        "vigil.gateway.registrations[5].account=3723707",
        "vigil.gateway.registrations[5].rate-limit=1",
        "vigil.api.keys[0].id=operator",
        "vigil.api.keys[0].tenant=*",
        "vigil.api.keys[0].access=write",
        "vigil.api.keys[0].sha256=611e36fc127a122c53f9a880a7574a5a1fdaa145370c1472993f03d1cd5e7381",
        "vigil.api.keys[1].id=acme-write",
        "vigil.api.keys[1].tenant=acme",
        "vigil.api.keys[1].access=write",
        "vigil.api.keys[1].sha256=3579d2cf38d2f0770664623919a2220dda1cb38ca3497236e8eaaee8f050f7b7",
        "vigil.api.keys[2].id=acme-read",
        "vigil.api.keys[2].tenant=acme",
        "vigil.api.keys[2].access=read",
        "vigil.api.keys[2].sha256=05dc1dcd3fd836c78c19af09a8a564cfe2e4a426b05450f055ccd6ed2175425f",
        "vigil.api.keys[3].id=other-write",
        "vigil.api.keys[3].tenant=other",
        "vigil.api.keys[3].access=write",
        "vigil.api.keys[3].sha256=20c63b1d26ddb494e8dc9555c503c3d73972078785fe0f369ed2d466fba1ed02"})
// transactions (registration changes, RegistrationLog) on one broker
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers", brokerProperties = {
        "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=1"})
public abstract class GatewayIntegrationTest {

    @LocalServerPort
    protected int port;
    @Autowired
    protected EmbeddedKafkaBroker broker;

    protected final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    protected TopicTail tail;

    @BeforeEach
    void openTail() {
        tail = TopicTail.open(broker.getBrokersAsString(), Topics.EVENTS, Topics.REJECTED);
    }

    @AfterEach
    void closeTail() {
        tail.close();
    }

    protected URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    protected HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> get(String pathAndQuery) throws Exception {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
    }

    /** For requests HTTP clients refuse to build (broken escapes), as a proxy or busybox wget sends them. */
    protected String rawRequest(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
