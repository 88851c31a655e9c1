package dev.vigil.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** After the sign-in the browser goes back to a page of the console, never to another site. */
class SignInControllerTests {

    @ParameterizedTest
    @ValueSource(strings = {"//evil.example", "/\\evil.example", "https://evil.example/", "javascript:alert(1)",
            "evil", "/jobs\r\nSet-Cookie: x=y", "", "/..//evil.example", "/\t/evil.example", "/%2e%2e//evil.example",
            "/jobs/\u00e9"})
    void anythingButALocalPathGoesToTheJobs(String next) {
        assertThat(SignInController.local(next)).isEqualTo("/jobs");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/alerts", "/jobs/demo/3723707/WIN7,ERP01", "/jobs?status=failing"})
    void aLocalPathIsKept(String next) {
        assertThat(SignInController.local(next)).isEqualTo(next);
    }
}
