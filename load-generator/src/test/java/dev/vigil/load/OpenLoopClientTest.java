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
    /** What the server read of each request, by its X-Request-Id: method, path and query, headers, body. */
    private final Map<String, String> requests = new ConcurrentHashMap<>();

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

    /**
     * {@code /fixed}, {@code /hooks}, {@code /ping}: 200 with a length; {@code /chunked}: 200 chunked, 40 kB (more than
     * the client's first buffer); {@code /close}: 503 and a close; {@code /slow}: 2 s.
     */
    private void answer(HttpExchange exchange) throws IOException {
        String id = exchange.getRequestHeaders().getFirst("X-Request-Id");
        seen.add(id);
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.put(id, exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery())
                + " auth=" + exchange.getRequestHeaders().getFirst("Authorization")
                + " type=" + exchange.getRequestHeaders().getFirst("Content-Type")
                + " key=" + exchange.getRequestHeaders().getFirst("Idempotency-Key") + " body=" + body);
        String path = exchange.getRequestURI().getPath();
        try (OutputStream answer = exchange.getResponseBody()) {
            if (path.startsWith("/fixed") || path.startsWith("/hooks") || path.startsWith("/ping")) {
                exchange.sendResponseHeaders(200, 2);
                answer.write("OK".getBytes(StandardCharsets.US_ASCII));
            } else if (path.startsWith("/chunked")) {
                exchange.sendResponseHeaders(200, 0);
                answer.write("x".repeat(40_000).getBytes(StandardCharsets.US_ASCII));
            } else if (path.startsWith("/close")) {
                exchange.getResponseHeaders().set("Connection", "close");
                exchange.sendResponseHeaders(503, 4);
                answer.write("busy".getBytes(StandardCharsets.US_ASCII));
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
                    (n, due) -> get("/fixed", n, due), (n, status, nanos) ->
                            assertThat(outcomes.put(n, status)).as("request %d told twice", n).isNull()));
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
    void latencyCountsFromWhenTheRequestWasDueNotFromWhenItWasSent() throws IOException {
        Map<Long, Long> latencies = new ConcurrentHashMap<>();
        int port = server.getAddress().getPort();
        try (OpenLoopClient client = new OpenLoopClient("127.0.0.1", port, 2, Duration.ofSeconds(10))) {
            // all ten were due a second ago: a generator that fell behind
            long start = System.nanoTime() - 1_000_000_000L;
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> client.run(0, 10, start, 1_000,
                    (n, due) -> get("/fixed", n, due), (n, status, nanos) -> latencies.put(n, nanos)));
        }
        assertThat(latencies).hasSize(10).allSatisfy((n, nanos) -> assertThat(nanos).isGreaterThan(1_000_000_000L));
    }

    @Test
    void aRequestWrittenToAConnectionTheServerHadClosedIsSentAgainOnANewOne() throws Exception {
        // a server that answers the first request of each connection and closes the connection on the second
        // without a byte of an answer, as a server that closed an idle keep-alive connection meanwhile does
        try (ServerSocket raw = new ServerSocket(0)) {
            Thread serverThread = new Thread(() -> {
                while (!raw.isClosed()) {
                    try (java.net.Socket socket = raw.accept()) {
                        java.io.InputStream in = socket.getInputStream();
                        for (int request = 0; request < 2; request++) {
                            byte[] buffer = new byte[4096];
                            int read = 0;
                            while (!new String(buffer, 0, read, StandardCharsets.US_ASCII).endsWith("hello")) {
                                int n = in.read(buffer, read, buffer.length - read);
                                if (n < 0) {
                                    break;
                                }
                                read += n;
                            }
                            if (request == 0) {
                                socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK"
                                        .getBytes(StandardCharsets.US_ASCII));
                            }
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            serverThread.setDaemon(true);
            serverThread.start();
            Map<Long, Integer> outcomes = new ConcurrentHashMap<>();
            try (OpenLoopClient client = new OpenLoopClient("127.0.0.1", raw.getLocalPort(), 1, Duration.ofSeconds(5))) {
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> client.run(0, 5, System.nanoTime(), 300_000_000L,
                        (n, due) -> get("/fixed", n, due), (n, status, nanos) ->
                                assertThat(outcomes.put(n, status)).as("request %d told twice", n).isNull()));
            }
            assertThat(outcomes).hasSize(5).allSatisfy((n, status) -> assertThat(status).isEqualTo(200));
        }
    }

    @Test
    void theLoadGeneratorsHooksAreWellFormedHttpWithTheirTraceAndBody() throws IOException {
        Map<Long, Integer> outcomes = new ConcurrentHashMap<>();
        int port = server.getAddress().getPort();
        try (OpenLoopClient client = new OpenLoopClient("127.0.0.1", port, 4, Duration.ofSeconds(10))) {
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> client.run(0, 20, System.nanoTime(), 1_000_000,
                    LoadGenerator::request, (n, status, nanos) -> outcomes.put(n, status)));
        }
        assertThat(outcomes).hasSize(20).allSatisfy((n, status) -> assertThat(status).isEqualTo(200));
        assertThat(requests).hasSize(20);
        String[] byKind = new String[20];
        requests.forEach((id, request) -> {
            assertThat(id).matches("lg-\\d{13}-\\d+");
            byKind[Integer.parseInt(id.substring(id.lastIndexOf('-') + 1))] = request;
        });
        // n = 0: the first failure of a FAIL job, as XSIBackup's --on-error GET with the base64 query; n = 10: a
        // FAIL job's recovery
        assertThat(byKind[0]).startsWith("GET /hooks/xsibackup/demo-xsibackup-token-0001/error?").endsWith(" body=");
        assertThat(new String(java.util.Base64.getDecoder().decode(byKind[0].substring(byKind[0].indexOf('?') + 1,
                byKind[0].indexOf(' ', byKind[0].indexOf('?')))), StandardCharsets.UTF_8)).startsWith("PID=").contains("|err=");
        assertThat(byKind[10]).startsWith("GET /hooks/xsibackup/demo-xsibackup-token-0001/success?");
        assertThat(byKind[1]).startsWith("GET /hooks/xsibackup/demo-xsibackup-token-0001/success?");
        assertThat(byKind[4]).startsWith("GET /ping/0b6f3c1e-5d2a-4e8f-9a71-3c2d1e0f4a5b/start?rid=");
        assertThat(byKind[5]).startsWith("GET /ping/0b6f3c1e-5d2a-4e8f-9a71-3c2d1e0f4a5b?rid=");
        assertThat(byKind[7]).startsWith("POST /hooks/retrospect auth=Bearer demo-retrospect-token-0001"
                + " type=application/x-www-form-urlencoded key=load-").contains("body=host=engine-")
                .endsWith("&arg=successful");
        assertThat(byKind[9]).startsWith("POST /hooks/stoney/3800009/quota auth=Bearer demo-stoney-token-000001")
                .matches(".* body=10240 \\d+ 100");
    }

    @Test
    void anAnswerItCannotReadFailsThatRequestAndNotTheRun() throws IOException {
        assertThat(OpenLoopClient.parse(buffer("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n")))
                .containsExactly(200, 0);
        assertThat(OpenLoopClient.parse(buffer("HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length:2\r\n\r\nOK")))
                .containsExactly(200, 1);
        assertThat(OpenLoopClient.parse(buffer("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nOK"))).containsExactly(200, 0);
        // Transfer-Encoding wins over Content-Length (RFC 9112 section 6.3)
        assertThat(OpenLoopClient.parse(buffer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n"))).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OpenLoopClient.parse(buffer(
                "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n"))).isInstanceOf(IOException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OpenLoopClient.parse(buffer(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nabc\r\n"))).isInstanceOf(IOException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OpenLoopClient.parse(buffer("garbage garbage\r\n\r\n")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void readsInterimAnswersChunkExtensionsAndTrailersToTheEnd() throws IOException {
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
