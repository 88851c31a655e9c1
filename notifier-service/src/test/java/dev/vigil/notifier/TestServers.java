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
    static void register(DynamicPropertyRegistry registry, GreenMailExtension smtp, DemoDirectory directory) {
        registry.add("spring.mail.port", () -> smtp.getSmtp().getPort());
        registry.add("spring.ldap.urls", directory::url);
    }
}
