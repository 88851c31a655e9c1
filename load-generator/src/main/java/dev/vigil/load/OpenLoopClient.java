package dev.vigil.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Sends HTTP/1.1 requests open loop, at a fixed rate, from one thread: a request is due every 1/rate seconds whether
 * or not earlier ones were answered, and its latency counts from when it was due (as wrk2 does), so a stalled server
 * shows in the percentiles instead of slowing the sender down. Requests go over a fixed set of keep-alive connections
 * (non-blocking, one request in flight on each, no pipelining); a due request that finds every connection busy waits
 * for the first free one, and that wait is part of its latency. The connection freed last is used first, so at a low
 * rate a few connections carry the load and the others may be closed by the server as idle (they are opened again).
 *
 * <p>This is the load generator's sender, not a general HTTP client: it sends pre-encoded requests to one host and
 * reads each response only as far as its status and its end (RFC 9112 §6.3: {@code Transfer-Encoding: chunked}
 * before {@code Content-Length}; 1xx, 204 and 304 without a body; else to the connection's close). A connection the
 * server closes ({@code Connection: close}, e.g. Tomcat after {@code maxKeepAliveRequests}) is opened again; a request
 * written to a kept-alive connection the server had closed meanwhile (no byte of an answer, then the close) is sent
 * again once on another; any other failure before the answer, an answer it cannot read, or no answer within the
 * timeout counts as failed. It exists because a generator must cost far less CPU than what it measures: Java's
 * {@code HttpClient} took about 200 µs of CPU per request here, 0.43 of a core at 2,000 requests/s on a two-core
 * machine.
 */
final class OpenLoopClient implements AutoCloseable {

    /** Told each request's outcome, on the sending thread. */
    interface Outcome {
        /**
         * @param n the request's number, as given to the request function
         * @param status the HTTP status, or -1 when there was no answer (connection failed, timeout, unreadable)
         * @param latencyNanos from when the request was due to when its answer was read (or it failed)
         */
        void done(long n, int status, long latencyNanos);
    }

    /** Makes the bytes of request {@code n} (a whole HTTP/1.1 request), due at {@code dueMillis} (epoch milliseconds). */
    interface Request {
        byte[] bytes(long n, long dueMillis);
    }

    private static final byte[] CRLF2 = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** A connection whose connect failed, or that closed without answering, is opened again this much later. */
    private static final long REOPEN_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** A connect not done within this is abandoned (SYNs dropped by a full accept queue are retried for minutes). */
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final InetSocketAddress address;
    private final Selector selector;
    private final Connection[] connections;
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    /** Connections closed for a while, each opened again at its {@code reopenAt} (a failing server is not hammered). */
    private final ArrayDeque<Connection> broken = new ArrayDeque<>();
    /** Due requests waiting for a connection, oldest first. */
    private final ArrayDeque<Pending> backlog = new ArrayDeque<>();
    /** A request unanswered this long after it was due fails (its connection is opened again). */
    private final long timeoutNanos;
    private long answered;
    private Outcome outcome;

    /**
     * Opens {@code connections} connections to {@code host:port} (non-blocking; they complete in {@link #run}).
     * A request not answered within {@code timeout} of when it was due (sent or still waiting for a connection)
     * counts as failed.
     *
     * @throws IOException when the selector cannot be opened
     */
    OpenLoopClient(String host, int port, int connections, java.time.Duration timeout) throws IOException {
        this.timeoutNanos = timeout.toNanos();
        this.address = new InetSocketAddress(host, port);
        this.selector = Selector.open();
        this.connections = new Connection[connections];
        for (int i = 0; i < connections; i++) {
            this.connections[i] = new Connection();
            this.connections[i].open();
        }
    }

    /**
     * Sends {@code total} requests, request {@code i} due at {@code start + i * intervalNanos} ({@link System#nanoTime}
     * time), and returns once every one is answered or failed (at most the timeout after the last is due).
     *
     * @param first the number of the first request: request {@code i} is {@code request.bytes(first + i, ...)}
     */
    void run(long first, long total, long start, long intervalNanos, Request request, Outcome outcome)
            throws IOException {
        long sent = 0;
        answered = 0;
        this.outcome = outcome;
        long lastSweep = System.nanoTime();
        while (answered < total) {
            long now = System.nanoTime();
            if (now - lastSweep > TimeUnit.MILLISECONDS.toNanos(100)) {
                lastSweep = now;
                sweep(now, outcome);
            }
            if (sent < total && start + sent * intervalNanos <= now) {
                // the wall clock of "now", read once per batch of due requests (it may be slewed meanwhile)
                long millisOffset = System.currentTimeMillis() * 1_000_000 - System.nanoTime();
                while (sent < total && start + sent * intervalNanos <= now) {
                    long due = start + sent * intervalNanos;
                    long n = first + sent;
                    backlog.add(new Pending(n, due, request.bytes(n, (millisOffset + due) / 1_000_000), false));
                    sent++;
                }
                // closes that arrived since the last select, before a request is written to a closed connection
                selector.selectNow();
                handleSelected(outcome);
            }
            while (!backlog.isEmpty() && !idle.isEmpty()) {
                idle.pop().send(backlog.poll());
            }
            long wait = sent < total ? start + sent * intervalNanos - System.nanoTime() : TimeUnit.MILLISECONDS.toNanos(100);
            if (wait > 0) {
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
            } else {
                selector.selectNow();
            }
            handleSelected(outcome);
        }
    }

    private void handleSelected(Outcome outcome) {
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            if (key.isValid()) {
                ((Connection) key.attachment()).ready(key, outcome);
            }
        }
    }

    /** Reopens what is due, fails requests past the timeout, abandons connects that take too long. */
    private void sweep(long now, Outcome outcome) {
        while (!broken.isEmpty() && broken.peek().reopenAt - now <= 0) {
            broken.poll().open();
        }
        for (Connection connection : connections) {
            connection.expire(now, outcome);
        }
        while (!backlog.isEmpty() && now - backlog.peek().dueNanos() >= timeoutNanos) {
            Pending expired = backlog.poll();
            outcome.done(expired.n(), -1, now - expired.dueNanos());
            answered++;
        }
    }

    private record Pending(long n, long dueNanos, byte[] bytes, boolean resent) {
    }

    @Override
    public void close() throws IOException {
        for (Connection connection : connections) {
            connection.closeChannel();
        }
        selector.close();
    }

    /** One keep-alive connection with at most one request in flight. */
    private final class Connection {
        private SocketChannel channel;
        private SelectionKey key;
        private ByteBuffer out;
        private ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        private Pending inFlight;
        private boolean connected;
        private long connectStarted;
        private long reopenAt;

        /** Opens the connection; on any failure it is closed and opened again later. Never throws. */
        void open() {
            connected = false;
            in.clear();
            out = null;
            connectStarted = System.nanoTime();
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                key = channel.register(selector, SelectionKey.OP_CONNECT, this);
                if (channel.connect(address)) {
                    connected();
                }
            } catch (IOException e) {
                closeLater();
            }
        }

        private void connected() {
            connected = true;
            key.interestOps(SelectionKey.OP_READ);
            idle.push(this);
        }

        void send(Pending pending) {
            inFlight = pending;
            out = ByteBuffer.wrap(pending.bytes());
            try {
                channel.write(out);
                key.interestOps(out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            } catch (IOException e) {
                fail(!pending.resent()); // written to a connection the server had closed: nothing of it arrived
            }
        }

        /** Handles the key's readiness: a connect done, the rest of a request written, an answer read. */
        void ready(SelectionKey key, Outcome outcome) {
            try {
                if (key.isConnectable()) {
                    if (channel.finishConnect()) {
                        connected();
                    }
                    return;
                }
                if (key.isWritable() && out != null) {
                    channel.write(out);
                    if (!out.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                }
                if (!key.isReadable()) {
                    return;
                }
                if (!in.hasRemaining()) {
                    in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
                }
                int read = channel.read(in);
                if (read < 0) {
                    int[] answer = inFlight == null ? null : parseAtClose(in);
                    if (answer != null) {
                        complete(outcome, answer[0]);
                        closeLater();
                        return;
                    }
                    // closed before any byte of an answer: a kept-alive connection the server had closed as idle
                    fail(inFlight != null && in.position() == 0 && !inFlight.resent());
                    return;
                }
                if (inFlight == null) {
                    in.clear(); // nothing asked: a stray answer is dropped
                    return;
                }
                int[] answer = parse(in);
                if (answer != null) {
                    complete(outcome, answer[0]);
                    if (answer[1] == 1) {
                        closeChannel();
                        open();
                    } else {
                        in.clear();
                        idle.push(this);
                    }
                }
            } catch (IOException e) {
                // reset before any byte of an answer, as a closed keep-alive connection may be: sent again once
                fail(inFlight != null && in.position() == 0 && !inFlight.resent());
            }
        }

        private void complete(Outcome outcome, int status) {
            Pending done = inFlight;
            inFlight = null;
            out = null;
            key.interestOps(SelectionKey.OP_READ);
            outcome.done(done.n(), status, System.nanoTime() - done.dueNanos());
            answered++;
        }

        /**
         * Ends the connection after a failure, and its request: sent again first on another connection when
         * {@code resend}, else told as failed.
         */
        private void fail(boolean resend) {
            Pending pending = inFlight;
            inFlight = null;
            if (pending != null && resend) {
                backlog.addFirst(new Pending(pending.n(), pending.dueNanos(), pending.bytes(), true));
            } else if (pending != null) {
                outcome.done(pending.n(), -1, System.nanoTime() - pending.dueNanos());
                answered++;
            }
            idle.remove(this);
            closeLater();
        }

        /** Fails the request in flight when it is past the timeout, and a connect that takes too long. */
        void expire(long now, Outcome outcome) {
            if (inFlight != null && now - inFlight.dueNanos() >= timeoutNanos) {
                Pending failed = inFlight;
                inFlight = null;
                outcome.done(failed.n(), -1, now - failed.dueNanos());
                answered++;
                if (channel != null && channel.isOpen()) {
                    idle.remove(this);
                    closeLater();
                }
            }
            if (!connected && channel != null && channel.isOpen() && now - connectStarted > CONNECT_TIMEOUT_NANOS) {
                closeLater();
            }
        }

        /** Closes the channel and queues the connection to be opened again after {@link #REOPEN_DELAY_NANOS}. */
        private void closeLater() {
            closeChannel();
            reopenAt = System.nanoTime() + REOPEN_DELAY_NANOS;
            broken.add(this);
        }

        void closeChannel() {
            connected = false;
            try {
                if (key != null) {
                    key.cancel();
                }
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /**
     * Parses the response held in {@code buffer} (positioned after its last byte).
     *
     * @return null while incomplete, else {status, 1 if the server closes the connection after it, else 0}
     * @throws IOException when the response is not one this client can read (no status, a malformed length)
     */
    static int[] parse(ByteBuffer buffer) throws IOException {
        byte[] bytes = buffer.array();
        int length = buffer.position();
        int headerEnd = indexOf(bytes, 0, length, CRLF2);
        if (headerEnd < 0) {
            return null;
        }
        int status = status(bytes, headerEnd);
        boolean close = false;
        boolean chunked = false;
        long contentLength = -1;
        String[] lines = new String(bytes, 0, headerEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "connection" -> close |= hasToken(value, "close");
                case "transfer-encoding" -> chunked = value.endsWith("chunked");
                case "content-length" -> contentLength = contentLength(value);
                default -> { }
            }
        }
        int bodyStart = headerEnd + 4;
        if (status / 100 == 1) {
            // an interim answer (100 Continue): drop it and wait for the final one
            System.arraycopy(bytes, bodyStart, bytes, 0, length - bodyStart);
            buffer.position(length - bodyStart);
            return parse(buffer);
        }
        int[] done = {status, close ? 1 : 0};
        if (status == 204 || status == 304) {
            return done;
        }
        if (chunked) {
            return chunkedEnd(bytes, bodyStart, length) ? done : null;
        }
        if (contentLength >= 0) {
            return length - bodyStart >= contentLength ? done : null;
        }
        return null; // the body ends when the server closes the connection
    }

    /** Whether the chunked body from {@code at} is complete: its last chunk and the trailer section's end. */
    private static boolean chunkedEnd(byte[] bytes, int at, int length) throws IOException {
        while (true) {
            int lineEnd = indexOf(bytes, at, length, CRLF2, 2);
            if (lineEnd < 0) {
                return false;
            }
            String line = new String(bytes, at, lineEnd - at, StandardCharsets.ISO_8859_1);
            int semicolon = line.indexOf(';');
            String size = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
            if (size.isEmpty() || size.length() > 7 || !size.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new IOException("not a chunk size: " + line);
            }
            int chunk = Integer.parseInt(size, 16);
            if (chunk == 0) {
                // trailer fields, if any, up to an empty line
                return indexOf(bytes, lineEnd, length, CRLF2) >= 0;
            }
            at = lineEnd + 2 + chunk + 2;
            if (at > length) {
                return false;
            }
        }
    }

    private static long contentLength(String value) throws IOException {
        // a list of equal values (RFC 9110 §8.6) is one length
        String first = value.split(",")[0].trim();
        if (first.isEmpty() || first.length() > 18 || !first.chars().allMatch(Character::isDigit)) {
            throw new IOException("not a Content-Length: " + value);
        }
        return Long.parseLong(first);
    }

    private static boolean hasToken(String value, String token) {
        for (String part : value.split(",")) {
            if (part.trim().equals(token)) {
                return true;
            }
        }
        return false;
    }

    private static int status(byte[] bytes, int headerEnd) throws IOException {
        if (headerEnd < 12 || bytes[0] != 'H' || bytes[8] != ' ' || !Character.isDigit(bytes[9])
                || !Character.isDigit(bytes[10]) || !Character.isDigit(bytes[11])) {
            throw new IOException("not an HTTP/1.1 status line");
        }
        return (bytes[9] - '0') * 100 + (bytes[10] - '0') * 10 + (bytes[11] - '0');
    }

    /**
     * A response whose connection closed: complete when its head is and it had neither length nor chunks (its body
     * ran to the close); a truncated body, or only an interim answer, is no answer.
     */
    private static int[] parseAtClose(ByteBuffer buffer) {
        byte[] bytes = buffer.array();
        int length = buffer.position();
        int headerEnd = indexOf(bytes, 0, length, CRLF2);
        if (headerEnd < 0) {
            return null;
        }
        try {
            int[] complete = parse(buffer);
            if (complete != null) {
                return complete;
            }
            String head = new String(bytes, 0, headerEnd, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            int status = status(bytes, headerEnd);
            boolean framed = head.contains("\ncontent-length:") || head.contains("\ntransfer-encoding:");
            return framed || status / 100 == 1 ? null : new int[] {status, 1};
        } catch (IOException e) {
            return null;
        }
    }

    private static int indexOf(byte[] bytes, int from, int to, byte[] pattern) {
        return indexOf(bytes, from, to, pattern, pattern.length);
    }

    /** The index of the first {@code patternLength} bytes of {@code pattern} in {@code bytes[from, to)}, or -1. */
    private static int indexOf(byte[] bytes, int from, int to, byte[] pattern, int patternLength) {
        outer:
        for (int i = from; i <= to - patternLength; i++) {
            for (int j = 0; j < patternLength; j++) {
                if (bytes[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
