package dev.vigil.notifier.channel.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.notifier.channel.DeliveryException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpTargetsTests {

    @ParameterizedTest
    @CsvSource({"127.0.0.1,true", "10.1.2.3,true", "172.16.0.1,true", "192.168.1.1,true", "169.254.169.254,true",
            "100.64.0.1,true", "::1,true", "fd00::1,true", "0.0.0.0,true", "93.184.216.34,false", "2606:4700::1111,false"})
    void internalAddressesAreRecognised(String address, boolean internal) throws Exception {
        assertThat(HttpTargets.isInternal(InetAddress.getByName(address))).isEqualTo(internal);
    }

    @Test
    void aTargetOnAnInternalAddressIsRefusedForGoodWithoutACall() {
        HttpTargets targets = new HttpTargets(new HttpTargets.Settings(false, Duration.ofSeconds(1), Duration.ofSeconds(1)));

        assertThatThrownBy(() -> targets.postJson("http://169.254.169.254/latest/meta-data", new byte[0], Map.of()))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.reason()).isEqualTo("private-target");
                });
        assertThatThrownBy(() -> targets.postJson("file:///etc/passwd", new byte[0], Map.of()))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.reason()).isEqualTo("bad-target"));
    }

    @ParameterizedTest
    @CsvSource({"200,", "204,", "429,http-429", "500,http-5xx", "503,http-5xx", "400,http-400", "404,http-404", "410,http-410"})
    void httpStatusesAreJudgedInOnePlace(int status, String reason) {
        DeliveryException failure = HttpStatusPolicy.judge(status, "7", "");
        if (reason == null) {
            assertThat(failure).isNull();
            return;
        }
        assertThat(failure.reason()).isEqualTo(reason);
        assertThat(failure.retryable()).isEqualTo(status == 429 || status >= 500);
        if (failure.retryable()) {
            assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        }
    }
}
