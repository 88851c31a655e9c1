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
 * reads each response only as far as its status and its end (RFC 9112 §6: {@code Content-Length} or {@code chunked};
 * 1xx, 204 and 304 without a body). A connection the server closes ({@code Connection: close}, e.g. Tomcat after
 * {@code maxKeepAliveRequests}) is opened again; a request whose connection fails before its answer counts as failed.
 * It exists because a generator must cost far less CPU than what it measures: Java's {@code HttpClient} took about
 * 165 µs of CPU per request here, a third of a core at 2,000 requests/s on a two-core machine.
 */
final class OpenLoopClient implements AutoCloseable {

    /** Told each request's outcome, on the sending thread. */
    interface Outcome {
        /**
         * @param n the request's number, as given to the request function
         * @param status the HTTP status, or -1 when the connection failed before an answer
         * @param latencyNanos from when the request was due to when its answer was read
         */
        void done(long n, int status, long latencyNanos);
    }

    private static final byte[] CRLF2 = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final InetSocketAddress address;
    private final Selector selector;
    private final Connection[] connections;
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    /** Connections whose connect failed, opened again 200 ms later (a server that is down is not hammered). */
    private final ArrayDeque<Connection> broken = new ArrayDeque<>();
    /** A request unanswered this long after it was due fails (its connection is opened again). */
    private final long timeoutNanos;

    /**
     * Opens {@code connections} connections to {@code host:port} (non-blocking; they complete in {@link #run}).
     * A request not answered within {@code timeout} of when it was due (sent or still waiting for a connection)
     * counts as failed.
     *
     * @throws IOException when a channel cannot be opened
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
     * Sends {@code total} requests, request {@code i} due at {@code start + i * intervalNanos}, and returns once every
     * one is answered or failed.
     *
     * @param first the number of the first request: request {@code i} is {@code request.apply(first + i)}
     * @param request the bytes of request {@code n} (a whole HTTP/1.1 request), given the epoch millisecond it is due
     *                through {@link #dueMillis}
     */
    void run(long first, long total, long start, long intervalNanos, Request request, Outcome outcome)
            throws IOException {
        ArrayDeque<Pending> backlog = new ArrayDeque<>();
        long sent = 0;
        long answered = 0;
        long millisOffset = System.currentTimeMillis() * 1_000_000 - System.nanoTime();
        long lastSweep = System.nanoTime();
        while (answered < total) {
            long now = System.nanoTime();
            if (now - lastSweep > TimeUnit.MILLISECONDS.toNanos(100)) {
                lastSweep = now;
                while (!broken.isEmpty() && broken.peek().reopenAt - now <= 0) {
                    broken.poll().open();
                }
                for (Connection connection : connections) {
                    answered += connection.expire(now, outcome);
                }
                while (!backlog.isEmpty() && now - backlog.peek().dueNanos() >= timeoutNanos) {
                    Pending expired = backlog.poll();
                    outcome.done(expired.n(), -1, now - expired.dueNanos());
                    answered++;
                }
            }
            while (sent < total && start + sent * intervalNanos <= now) {
                long due = start + sent * intervalNanos;
                long n = first + sent;
                backlog.add(new Pending(n, due, request.bytes(n, (millisOffset + due) / 1_000_000)));
                sent++;
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
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                Connection connection = (Connection) key.attachment();
                answered += connection.ready(key, outcome);
            }
        }
    }

    /** Makes the bytes of request {@code n}, due at {@code dueMillis} (epoch milliseconds). */
    interface Request {
        byte[] bytes(long n, long dueMillis);
    }

    private record Pending(long n, long dueNanos, byte[] bytes) {
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
        private long reopenAt;

        void open() throws IOException {
            connected = false;
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            key = channel.register(selector, SelectionKey.OP_CONNECT, this);
            in.clear();
            try {
                connected = channel.connect(address);
            } catch (IOException e) {
                // refused at once: tried again later, as a connect that fails in the selector is
                closeChannel();
                reopenAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                broken.add(this);
                return;
            }
            key.interestOps(connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT);
            if (connected) {
                idle.push(this);
            }
        }

        void send(Pending pending) throws IOException {
            inFlight = pending;
            out = ByteBuffer.wrap(pending.bytes());
            try {
                channel.write(out);
            } catch (IOException e) {
                out = null;
                return; // the read side sees the failure
            }
            key.interestOps(out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        /** Handles the key's readiness; returns the number of requests that ended (0 or 1). */
        int ready(SelectionKey key, Outcome outcome) throws IOException {
            try {
                if (key.isConnectable()) {
                    channel.finishConnect();
                    connected = true;
                    key.interestOps(SelectionKey.OP_READ);
                    idle.push(this);
                    return 0;
                }
                if (key.isWritable() && out != null) {
                    channel.write(out);
                    if (!out.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                }
                if (!key.isReadable()) {
                    return 0;
                }
                if (!in.hasRemaining()) {
                    in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
                }
                int read = channel.read(in);
                if (read < 0) {
                    int[] headers = inFlight == null ? null : parseAtClose(in);
                    if (headers == null) {
                        throw new IOException("closed by the server");
                    }
                    Pending done = inFlight;
                    inFlight = null;
                    outcome.done(done.n(), headers[0], System.nanoTime() - done.dueNanos());
                    reopen();
                    return 1;
                }
                if (inFlight == null) {
                    in.clear(); // nothing asked: an interim or stray answer is dropped
                    return 0;
                }
                int[] answer = parse(in);
                if (answer == null) {
                    return 0;
                }
                Pending done = inFlight;
                inFlight = null;
                outcome.done(done.n(), answer[0], System.nanoTime() - done.dueNanos());
                if (answer[1] == 1) {
                    reopen();
                } else {
                    in.clear();
                    idle.push(this);
                }
                return 1;
            } catch (IOException e) {
                Pending failed = inFlight;
                inFlight = null;
                idle.remove(this);
                if (connected) {
                    reopen();
                } else {
                    closeChannel();
                    reopenAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                    broken.add(this);
                }
                if (failed != null) {
                    outcome.done(failed.n(), -1, System.nanoTime() - failed.dueNanos());
                    return 1;
                }
                return 0;
            }
        }

        /** Fails the request in flight when it is older than the timeout; returns the number failed (0 or 1). */
        int expire(long now, Outcome outcome) throws IOException {
            if (inFlight == null || now - inFlight.dueNanos() < timeoutNanos) {
                return 0;
            }
            Pending failed = inFlight;
            inFlight = null;
            outcome.done(failed.n(), -1, now - failed.dueNanos());
            reopen();
            return 1;
        }

        private void reopen() throws IOException {
            closeChannel();
            open();
        }

        void closeChannel() {
            try {
                key.cancel();
                channel.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /**
     * Parses the response held in {@code buffer} (positioned after its last byte).
     *
     * @return null while incomplete, else {status, 1 if the server closes the connection after it, else 0}
     */
    static int[] parse(ByteBuffer buffer) {
        byte[] bytes = buffer.array();
        int length = buffer.position();
        int headerEnd = indexOf(bytes, 0, length, CRLF2);
        if (headerEnd < 0) {
            return null;
        }
        if (length < 12) {
            return null;
        }
        int status = (bytes[9] - '0') * 100 + (bytes[10] - '0') * 10 + (bytes[11] - '0');
        String head = new String(bytes, 0, headerEnd, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        int close = head.contains("\nconnection: close") ? 1 : 0;
        int bodyStart = headerEnd + 4;
        if (status / 100 == 1) {
            // an interim answer (100 Continue): drop it and wait for the final one
            System.arraycopy(bytes, bodyStart, bytes, 0, length - bodyStart);
            buffer.position(length - bodyStart);
            return parse(buffer);
        }
        if (status == 204 || status == 304) {
            return new int[] {status, close};
        }
        int lengthAt = head.indexOf("\ncontent-length:");
        if (lengthAt >= 0) {
            int end = head.indexOf('\r', lengthAt + 1);
            long contentLength = Long.parseLong(head.substring(lengthAt + 16, end < 0 ? head.length() : end).trim());
            return length - bodyStart >= contentLength ? new int[] {status, close} : null;
        }
        if (head.contains("\ntransfer-encoding: chunked")) {
            int at = bodyStart;
            while (true) {
                int lineEnd = indexOf(bytes, at, length, CRLF2, 2);
                if (lineEnd < 0) {
                    return null;
                }
                String size = new String(bytes, at, lineEnd - at, StandardCharsets.ISO_8859_1);
                int semicolon = size.indexOf(';');
                int chunk = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (chunk == 0) {
                    // the last chunk, then trailer fields up to an empty line
                    return indexOf(bytes, lineEnd, length, CRLF2) >= 0 ? new int[] {status, close} : null;
                }
                at = lineEnd + 2 + chunk + 2;
                if (at > length) {
                    return null;
                }
            }
        }
        // no length: the body ends when the server closes the connection
        return null;
    }

    /** A response whose body ran to the connection's close: complete once its head is. */
    private static int[] parseAtClose(ByteBuffer buffer) {
        byte[] bytes = buffer.array();
        int length = buffer.position();
        return length >= 12 && indexOf(bytes, 0, length, CRLF2) >= 0
                ? new int[] {(bytes[9] - '0') * 100 + (bytes[10] - '0') * 10 + (bytes[11] - '0'), 1} : null;
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
