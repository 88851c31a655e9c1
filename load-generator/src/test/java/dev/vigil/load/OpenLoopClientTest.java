package dev.vigil.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load generator's sender against the JDK's own HTTP server: every request answered, counted and timed once. */
class OpenLoopClientTest {

    private HttpServer server;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** {@code /fixed}: 200 with a length; {@code /chunked}: 200 chunked, 3 kB; {@code /close}: 503 and a close; {@code /slow}: 2 s. */
    private void answer(HttpExchange exchange) throws IOException {
        seen.add(exchange.getRequestHeaders().getFirst("X-Request-Id"));
        exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        try (OutputStream body = exchange.getResponseBody()) {
            if (path.startsWith("/fixed")) {
                exchange.sendResponseHeaders(200, 2);
                body.write("OK".getBytes(StandardCharsets.US_ASCII));
            } else if (path.startsWith("/chunked")) {
                exchange.sendResponseHeaders(200, 0);
                body.write("x".repeat(3000).getBytes(StandardCharsets.US_ASCII));
            } else if (path.startsWith("/close")) {
                exchange.getResponseHeaders().set("Connection", "close");
                exchange.sendResponseHeaders(503, 4);
                body.write("busy".getBytes(StandardCharsets.US_ASCII));
            } else {
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.sendResponseHeaders(200, -1);
            }
        }
    }

    private static byte[] get(String path, long n, long dueMillis) {
        return ("POST " + path + "/" + n + " HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: lg-" + dueMillis + "-" + n
                + "\r\nContent-Length: 5\r\n\r\nhello").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void answersEveryRequestOnceWithItsStatusWhateverTheFraming() throws IOException {
        Map<Long, Integer> outcomes = new ConcurrentHashMap<>();
        int port = server.getAddress().getPort();
        try (OpenLoopClient client = new OpenLoopClient("127.0.0.1", port, 8, Duration.ofSeconds(10))) {
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> client.run(1000, 300, System.nanoTime(), 1_000_000,
                    (n, due) -> get(n % 3 == 0 ? "/fixed" : n % 3 == 1 ? "/chunked" : "/close", n, due),
                    (n, status, nanos) -> {
                        assertThat(outcomes.put(n, status)).as("request %d told twice", n).isNull();
                        assertThat(nanos).isPositive();
                    }));
        }
        assertThat(outcomes).hasSize(300);
        outcomes.forEach((n, status) -> assertThat(status).as("request %d", n).isEqualTo(n % 3 == 2 ? 503 : 200));
        assertThat(seen).hasSize(300).allMatch(id -> id.matches("lg-\\d{13}-1\\d\\d\\d"));
    }

    @Test
    void requestsToNothingListeningFailAfterTheTimeoutAndTheRunEnds() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<Long, Integer> outcomes = new ConcurrentHashMap<>();
        try (OpenLoopClient client = new OpenLoopClient("127.0.0.1", port, 4, Duration.ofMillis(500))) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> client.run(0, 20, System.nanoTime(), 10_000_000,
                    (n, due) -> get("/fixed", n, due), (n, status, nanos) -> outcomes.put(n, status)));
        }
        assertThat(outcomes).hasSize(20).allSatisfy((n, status) -> assertThat(status).isEqualTo(-1));
    }

    @Test
    void anUnansweredRequestFailsAndItsConnectionServesTheNextRun() throws IOException {
        Map<Long, Integer> outcomes = new ConcurrentHashMap<>();
        int port = server.getAddress().getPort();
        try (OpenLoopClient client = new OpenLoopClient("127.0.0.1", port, 2, Duration.ofMillis(500))) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> client.run(0, 2, System.nanoTime(), 1_000_000,
                    (n, due) -> get("/slow", n, due), (n, status, nanos) -> outcomes.put(n, status)));
            assertThat(outcomes).containsOnly(Map.entry(0L, -1), Map.entry(1L, -1));
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> client.run(2, 10, System.nanoTime(), 1_000_000,
                    (n, due) -> get("/fixed", n, due), (n, status, nanos) -> outcomes.put(n, status)));
        }
        assertThat(outcomes).hasSize(12);
        assertThat(outcomes.values().stream().filter(status -> status == 200)).hasSize(10);
    }

    @Test
    void readsInterimAnswersChunkExtensionsAndTrailersToTheEnd() {
        String interim = "HTTP/1.1 100 Continue\r\n\r\n";
        String chunked = "HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nabcd\r\n0\r\nX-Trailer: t\r\n";
        assertThat(OpenLoopClient.parse(buffer(interim + chunked))).isNull();
        assertThat(OpenLoopClient.parse(buffer(interim + chunked + "\r\n"))).containsExactly(202, 0);
        assertThat(OpenLoopClient.parse(buffer("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"))).containsExactly(204, 1);
        assertThat(OpenLoopClient.parse(buffer("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nab"))).isNull();
    }

    private static ByteBuffer buffer(String response) {
        return ByteBuffer.allocate(1024).put(response.getBytes(StandardCharsets.US_ASCII));
    }
}
