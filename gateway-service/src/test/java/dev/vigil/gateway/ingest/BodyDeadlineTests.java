package dev.vigil.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/** A body trickled a byte at a time is refused with 408 once its deadline has passed; a prompt one is read whole. */
class BodyDeadlineTests {

    /** One byte per read, each after {@code pauseMillis}: what a slowloris caller sends. */
    private static InputStream trickle(int bytes, long pauseMillis) {
        return new InputStream() {
            int left = bytes;

            @Override
            public int read() {
                if (left == 0) {
                    return -1;
                }
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                left--;
                return 'a';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int c = read();
                if (c < 0) {
                    return -1;
                }
                b[off] = (byte) c;
                return 1;
            }
        };
    }

    @Test
    void aTrickledBodyIsRefusedWith408AfterTheDeadline() {
        InputStream body = new BodyDeadline(trickle(1_000, 20), Duration.ofMillis(300), "healthchecks");
        assertThatThrownBy(() -> BodyText.read(body)).isInstanceOfSatisfying(HookRejectedException.class, e -> {
            assertThat(e.status()).isEqualTo(HttpStatus.REQUEST_TIMEOUT);
            assertThat(e.source()).isEqualTo("healthchecks");
            assertThat(e.getMessage()).contains("longer than 0 s");
        });
    }

    @Test
    void aBodyThatArrivesInTimeIsReadWhole() {
        byte[] bytes = "rsync: 12 files".getBytes();
        InputStream body = new BodyDeadline(new ByteArrayInputStream(bytes), Duration.ofSeconds(60), "retrospect");
        assertThat(RequestBodies.read(body, org.springframework.util.unit.DataSize.ofKilobytes(64), "retrospect"))
                .isEqualTo(bytes);
    }
}
