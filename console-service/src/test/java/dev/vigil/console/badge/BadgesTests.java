package dev.vigil.console.badge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.console.ConsoleProperties;
import dev.vigil.model.JobKey;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Badge URLs are made by the console only: they name their job and cannot be changed or guessed. */
class BadgesTests {

    static Badges badges(String secret) {
        return new Badges(new ConsoleProperties(URI.create("http://r"), URI.create("http://n"), URI.create("http://g"),
                secret, Duration.ofHours(1), ZoneId.of("UTC"), null, Duration.ofSeconds(30)));
    }

    static String[] parts(String path) {
        String[] p = path.split("/");
        return new String[] {p[2], p[3]};
    }

    @Test
    void aBadgePathNamesItsJobOrAccount() {
        Badges badges = badges("s");
        JobKey job = new JobKey("demo", "3723707", "Daily/My Mac/HD");
        String[] path = parts(badges.forJob(job));
        assertThat(badges.read(path[0], path[1])).hasValue(new Badges.Subject("job", "demo", "3723707", "Daily/My Mac/HD"));
        String[] account = parts(badges.forAccount("demo", "3723707"));
        assertThat(badges.read(account[0], account[1])).hasValue(new Badges.Subject("account", "demo", "3723707", null));
        assertThat(path[0]).matches("[0-9a-f]{32}");
    }

    @Test
    void aChangedOrForeignPathIsNoBadge() {
        Badges badges = badges("s");
        String[] path = parts(badges.forJob(new JobKey("demo", "1", "j")));
        String[] other = parts(badges.forJob(new JobKey("demo", "2", "j")));
        assertThat(badges.read(path[0], other[1])).isEmpty();
        assertThat(badges.read("0".repeat(32), path[1])).isEmpty();
        assertThat(badges.read("not-hex", path[1])).isEmpty();
        assertThat(badges.read(path[0], path[1] + "A")).isEmpty();
        assertThat(badges("another secret").read(path[0], path[1])).isEmpty();
        assertThat(badges("s").read(path[0], path[1])).as("same secret, another replica").isPresent();
    }
}
