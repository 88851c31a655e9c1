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
 *
 * <p>To see how Vigil treats a target that refuses, tell it to answer the next requests under a path prefix
 * with another status: {@code POST /_answer?path=/slack&status=429&retry-after=10&times=2}. Refused requests are
 * kept too, their file name marked with the status.
 */
public final class WebhookCatcher implements AutoCloseable {

    private final HttpServer server;
    private final Path folder;
    private final AtomicInteger count = new AtomicInteger();
    /** Answers other than 200 still to give, by path prefix. */
    private final Map<String, Answer> answers = new java.util.concurrent.ConcurrentHashMap<>();

    private record Answer(int status, String retryAfter, AtomicInteger left) {
    }

    private WebhookCatcher(HttpServer server, Path folder) {
        this.server = server;
        this.folder = folder;
        // numbering goes on after the files of an earlier run, so none is overwritten and the newest sorts last
        try (var files = Files.list(folder)) {
            count.set(files.map(f -> f.getFileName().toString()).filter(n -> n.matches("\\d{5,}-.*"))
                    .mapToInt(n -> Integer.parseInt(n.substring(0, n.indexOf('-')))).max().orElse(0));
        } catch (IOException e) {
            // an unreadable folder: start at 1
        }
    }

    public static WebhookCatcher start(int port, Path folder) throws IOException {
        Files.createDirectories(folder);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        WebhookCatcher catcher = new WebhookCatcher(server, folder);
        server.createContext("/", catcher::keep);
        server.createContext("/_answer", catcher::answer);
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

    /** {@code POST /_answer?path=/slack&status=429&retry-after=10&times=2}: the next answers under that path. */
    private void answer(HttpExchange exchange) throws IOException {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], kv.length > 1 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        String reply;
        int status;
        try {
            Answer answer = new Answer(Integer.parseInt(query.getOrDefault("status", "500")),
                    query.get("retry-after"), new AtomicInteger(Integer.parseInt(query.getOrDefault("times", "1"))));
            answers.put(query.getOrDefault("path", "/"), answer);
            reply = "the next " + answer.left() + " request(s) under " + query.getOrDefault("path", "/")
                    + " are answered " + answer.status() + "\n";
            status = 200;
        } catch (NumberFormatException e) {
            reply = "status and times are numbers\n";
            status = 400;
        }
        byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The status to give a request to this path: 200, or one asked for with {@code /_answer}. */
    private Answer planned(String path) {
        for (Map.Entry<String, Answer> entry : answers.entrySet()) {
            if (path.startsWith(entry.getKey()) && entry.getValue().left().getAndDecrement() > 0) {
                return entry.getValue();
            }
        }
        return null;
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
        Answer answer = planned(path);
        String name = String.format("%05d-%s%s.json", count.incrementAndGet(), answer == null ? "" : answer.status() + "-",
                path.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", ""));
        Files.writeString(folder.resolve(name.length() > 80 ? name.substring(0, 80) + ".json" : name), json);
        int status = answer == null ? 200 : answer.status();
        System.out.println("webhook: " + exchange.getRequestMethod() + " " + path + " -> " + status + ", "
                + folder.resolve(name));
        if (answer != null && answer.retryAfter() != null) {
            exchange.getResponseHeaders().set("Retry-After", answer.retryAfter());
        }
        byte[] reply = (status == 200 ? "ok" : "refused by the catcher as asked").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, reply.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply);
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
