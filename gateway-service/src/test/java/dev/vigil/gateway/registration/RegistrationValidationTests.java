package dev.vigil.gateway.registration;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Source;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A registration whose events the rules could not use refuses to start, saying why. */
class RegistrationValidationTests {

    private static Registration with(String tenant, String account, String schedule) {
        return new Registration("r1", "a-token-of-16-chars", Source.GENERIC, tenant, account, null, "OK",
                ZoneId.of("Europe/Zurich"), 50, schedule);
    }

    @ParameterizedTest
    @CsvSource({"vigil, 1", "a/b, 1", "acme, a/b"})
    void theReservedTenantAndSlashesAreRefused(String tenant, String account) {
        assertThatThrownBy(() -> with(tenant, account, null).validate()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reserved");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999d", "0s", "367d", "61 25 * * *", "* * *", "soon"})
    void aScheduleThatIsNeitherAPeriodNorACronIsRefused(String schedule) {
        assertThatThrownBy(() -> with("acme", "1", schedule).validate()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(schedule);
    }

    @ParameterizedTest
    @ValueSource(strings = {"20s", "90m", "1d", "366d", "30 2 * * *", "0 20 * * 1,3,5"})
    void periodsAndCronsAreAccepted(String schedule) {
        assertThatCode(() -> with("acme", "1", schedule).validate()).doesNotThrowAnyException();
    }
}
