package dev.vigil.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server that answers every request 200 and keeps it — method, path, headers, body — as a JSON file in a
 * folder: the local stand-in for Slack, IFTTT and webhook receivers.
 */
public final class WebhookCatcher implements AutoCloseable {

    private final HttpServer server;
    private final Path folder;
    private final AtomicInteger count = new AtomicInteger();

    private WebhookCatcher(HttpServer server, Path folder) {
        this.server = server;
        this.folder = folder;
    }

    public static WebhookCatcher start(int port, Path folder) throws IOException {
        Files.createDirectories(folder);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        WebhookCatcher catcher = new WebhookCatcher(server, folder);
        server.createContext("/", catcher::keep);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "webhook-catcher");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return catcher;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void keep(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, String.join(", ", values)));
        String path = exchange.getRequestURI().getPath();
        String json = "{\"receivedAt\":\"" + Instant.now() + "\",\"method\":\"" + exchange.getRequestMethod()
                + "\",\"path\":" + quote(path) + ",\"headers\":{" + headers.entrySet().stream()
                .map(e -> quote(e.getKey()) + ":" + quote(e.getValue())).reduce((a, b) -> a + "," + b).orElse("")
                + "},\"body\":" + quote(new String(body, StandardCharsets.UTF_8)) + "}\n";
        String name = String.format("%05d-%s.json", count.incrementAndGet(),
                path.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", ""));
        Files.writeString(folder.resolve(name.length() > 80 ? name.substring(0, 80) + ".json" : name), json);
        System.out.println("webhook: " + exchange.getRequestMethod() + " " + path + " -> " + folder.resolve(name));
        exchange.sendResponseHeaders(200, 2);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write("ok".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
