package dev.vigil.gateway.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.springframework.http.HttpStatus;

/**
 * A request body that may take at most {@code deadline} to arrive in all, counted from when it is opened. Tomcat's
 * {@code connection-timeout} bounds each read, and a caller that trickles a byte a second resets it forever; past the
 * deadline every read throws a {@link HookRejectedException} {@code 408}, which Tomcat answers by closing the
 * connection.
 */
final class BodyDeadline extends FilterInputStream {

    private final long endNanos;
    private final Duration deadline;
    private final String source;

    BodyDeadline(InputStream in, Duration deadline, String source) {
        super(in);
        this.endNanos = System.nanoTime() + deadline.toNanos();
        this.deadline = deadline;
        this.source = source;
    }

    @Override
    public int read() throws IOException {
        check();
        int b = super.read();
        if (b >= 0) {
            check();
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        check();
        int n = super.read(b, off, len);
        if (n >= 0) {
            check(); // a read that blocked past the deadline; the end of a body is never refused
        }
        return n;
    }

    private void check() {
        if (System.nanoTime() - endNanos > 0) {
            throw new HookRejectedException(HttpStatus.REQUEST_TIMEOUT, source, "The body took longer than "
                    + deadline.toSeconds() + " s to arrive; send it at once.", "");
        }
    }
}
