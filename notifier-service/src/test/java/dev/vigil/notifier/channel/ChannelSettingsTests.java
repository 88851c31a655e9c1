package dev.vigil.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.notifier.NotifierProperties;
import dev.vigil.notifier.delivery.DeliveryRequest;
import dev.vigil.notifier.routing.Receiver;
import dev.vigil.notifier.routing.Router;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.JobKey;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * A channel is its package plus configuration: a channel Vigil has never heard of ({@code pager} below) gets its
 * settings bound by its name from {@code vigil.notifier.receivers[n].pager}, from YAML-style keys or environment
 * variables, without a field on {@link Receiver}; a setting that names no channel stops the start-up.
 */
class ChannelSettingsTests {

    private static final JobKey JOB = new JobKey("demo", "3723707", "nightly");
    private static final Alert ALERT = new Alert(Alert.fingerprint(Rules.FAILED_BACKUP, JOB), Rules.FAILED_BACKUP,
            Severity.CRITICAL, AlertStatus.FIRING, JOB, Source.XSIBACKUP, "nightly failed", Map.of(), Instant.EPOCH,
            null, "e-1");

    record PagerSettings(String url, @DefaultValue("3") int retries) {
    }

    static final class PagerChannel implements Channel {
        final Router router;
        final List<PagerSettings> sent = new ArrayList<>();

        PagerChannel(Router router) {
            this.router = router;
        }

        @Override
        public String name() {
            return "pager";
        }

        @Override
        public boolean configuredFor(Receiver receiver) {
            return router.settings(receiver.name(), name(), PagerSettings.class).isPresent();
        }

        @Override
        public void send(DeliveryRequest request) throws DeliveryException {
            sent.add(Channel.settings(router, request, name(), PagerSettings.class));
        }
    }

    private static Router router(StandardEnvironment environment) {
        NotifierProperties properties = Binder.get(environment).bind("vigil.notifier", NotifierProperties.class).get();
        return new Router(properties, environment);
    }

    private static StandardEnvironment yaml(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }

    @Test
    void aNewChannelsSettingsAreBoundByItsName() throws Exception {
        StandardEnvironment environment = yaml(Map.of(
                "vigil.notifier.receivers[0].name", "oncall",
                "vigil.notifier.receivers[0].pager.url", "https://pager.example/hook",
                "vigil.notifier.receivers[1].name", "owners",
                "vigil.notifier.receivers[1].directory-email", "true"));
        Router router = router(environment);
        PagerChannel pager = new PagerChannel(router);
        Channels channels = new Channels(List.of(pager), router);

        Receiver oncall = router.receiver("oncall").orElseThrow();
        Receiver owners = router.receiver("owners").orElseThrow();
        assertThat(channels.named("pager")).containsSame(pager);
        assertThat(pager.configuredFor(oncall)).isTrue();
        assertThat(pager.configuredFor(owners)).isFalse();
        assertThat(owners.directoryEmail()).isTrue();

        pager.send(new DeliveryRequest("d1", ALERT, "oncall", "pager", "oncall", "en", List.of()));
        assertThat(pager.sent).containsExactly(new PagerSettings("https://pager.example/hook", 3));
        assertThatThrownBy(() -> pager.send(new DeliveryRequest("d2", ALERT, "owners", "pager", "owners", "en",
                List.of()))).isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.reason()).isEqualTo("no-target");
                });
    }

    @Test
    void settingsComeFromEnvironmentVariablesToo() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(
                "VIGIL_NOTIFIER_RECEIVERS_0_NAME", "oncall",
                "VIGIL_NOTIFIER_RECEIVERS_0_PAGER_URL", "https://pager.example/secret-path",
                "VIGIL_NOTIFIER_RECEIVERS_0_PAGER_RETRIES", "5")));
        Router router = router(environment);
        new Channels(List.of(new PagerChannel(router)), router);

        assertThat(router.settings("oncall", "pager", PagerSettings.class))
                .contains(new PagerSettings("https://pager.example/secret-path", 5));
    }

    @Test
    void aSettingThatNamesNoChannelStopsTheStart() {
        StandardEnvironment environment = yaml(Map.of(
                "vigil.notifier.receivers[0].name", "oncall",
                "vigil.notifier.receivers[0].send-resolved", "false",
                "vigil.notifier.receivers[0].pagr.url", "https://pager.example/hook"));
        Router router = router(environment);

        assertThatThrownBy(() -> new Channels(List.of(new PagerChannel(router)), router))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'oncall'").hasMessageContaining("[pagr]").hasMessageContaining("[pager]");
    }

    @Test
    void settingsThatDoNotBindStopTheStart() {
        StandardEnvironment environment = yaml(Map.of(
                "vigil.notifier.receivers[0].name", "oncall",
                "vigil.notifier.receivers[0].pager.url", "https://pager.example/hook",
                "vigil.notifier.receivers[0].pager.retries", "many"));
        Router router = router(environment);

        assertThatThrownBy(() -> new Channels(List.of(new PagerChannel(router)), router))
                .hasMessageContaining("vigil.notifier.receivers[0].pager");
    }
}
