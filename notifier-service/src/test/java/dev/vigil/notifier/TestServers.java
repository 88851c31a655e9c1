package dev.vigil.notifier;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.vigil.local.DemoDirectory;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The real servers of a notifier test: a GreenMail SMTP server and the demo directory over LDAP, each class with
 * its own (so one class never counts another's mails).
 */
final class TestServers {

    private TestServers() {
    }

    /** An SMTP server on a free port, kept for the whole class. */
    static GreenMailExtension smtp() {
        return new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig()).withPerMethodLifecycle(false);
    }

    static DemoDirectory directory() {
        return DemoDirectory.start(0, DemoDirectory.DEMO_DATA);
    }

    /** Points the notifier at both. */
    /** API keys of the tests: an operator, tenant demo's read and write keys, and tenant other's write key. */
    static final String OPERATOR_KEY = "test-operator-key-0001";
    static final String DEMO_READ_KEY = "test-demo-read-key-001";
    static final String DEMO_WRITE_KEY = "test-demo-write-key-01";
    static final String OTHER_WRITE_KEY = "test-other-write-key-1";

    static void register(DynamicPropertyRegistry registry, GreenMailExtension smtp, DemoDirectory directory) {
        registry.add("spring.mail.port", () -> smtp.getSmtp().getPort());
        registry.add("spring.ldap.urls", directory::url);
        String[][] keys = {{"operator", OPERATOR_KEY, "*", "write"}, {"demo-read", DEMO_READ_KEY, "demo", "read"},
                {"demo-write", DEMO_WRITE_KEY, "demo", "write"}, {"other-write", OTHER_WRITE_KEY, "other", "write"}};
        for (int i = 0; i < keys.length; i++) {
            String[] key = keys[i];
            registry.add("vigil.api.keys[" + i + "].id", () -> key[0]);
            registry.add("vigil.api.keys[" + i + "].sha256", () -> dev.vigil.security.ApiKeyIntrospector.sha256Hex(key[1]));
            registry.add("vigil.api.keys[" + i + "].tenant", () -> key[2]);
            registry.add("vigil.api.keys[" + i + "].access", () -> key[3]);
        }
    }
}
