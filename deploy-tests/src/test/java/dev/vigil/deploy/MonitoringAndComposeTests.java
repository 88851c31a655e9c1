package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Prometheus configuration and rules, the Grafana dashboard and the Compose file, checked offline. */
class MonitoringAndComposeTests {

    @Test
    void promtoolAcceptsTheRulesAndBothScrapeConfigurations() throws Exception {
        Tools.Result rules = Tools.run("promtool", "check", "rules", "ops/prometheus/vigil-rules.yml");
        assertThat(rules.exitCode()).as(rules.output()).isZero();
        assertThat(rules.output()).contains("SUCCESS: 13 rules found");
        for (String config : List.of("ops/prometheus/prometheus.yml", "ops/prometheus/prometheus-local.yml")) {
            Tools.Result checked = Tools.run("promtool", "check", "config", config);
            assertThat(checked.exitCode()).as(checked.output()).isZero();
        }
    }

    @Test
    void promtoolRefusesABrokenRule() throws Exception {
        java.nio.file.Path broken = java.nio.file.Files.createTempFile("broken-rules", ".yml");
        java.nio.file.Files.writeString(broken, """
                groups:
                  - name: broken
                    rules:
                      - alert: Broken
                        expr: sum(rate(vigil_hooks_received_total[5m]) > 
                """);
        assertThat(Tools.run("promtool", "check", "rules", broken.toString()).exitCode()).isNotZero();
    }

    @Test
    void theDashboardQueriesPrometheusInEveryPanelWithUniqueIds() throws Exception {
        JsonNode dashboard = TypedManifests.JSON.readTree(Tools.ROOT.resolve("k8s/base/monitoring/dashboards/vigil.json").toFile());
        assertThat(dashboard.path("uid").asText()).isEqualTo("vigil-overview");
        Set<Integer> ids = new HashSet<>();
        int queries = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel id %s", panel.path("id")).isTrue();
            if (!panel.path("type").asText().equals("row")) {
                assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
                for (JsonNode target : panel.path("targets")) {
                    assertThat(target.path("expr").asText()).isNotBlank();
                    queries++;
                }
            }
        }
        assertThat(queries).isGreaterThan(15);
    }

    @Test
    void composeValidatesAndRunsTheServicesReadOnlyAsNonRoot() throws Exception {
        Tools.Result config = Tools.run("docker-compose", "-f", "docker-compose.yml", "config", "-q");
        assertThat(config.exitCode()).as(config.output()).isZero();
        JsonNode compose = TypedManifests.YAML.readTree(Tools.ROOT.resolve("docker-compose.yml").toFile());
        assertThat(compose.path("services").fieldNames()).toIterable().contains("kafka", "openldap", "mail",
                "prometheus", "grafana", "gateway", "rules", "notifier");
        String dockerfile = java.nio.file.Files.readString(Tools.ROOT.resolve("docker/Dockerfile"));
        assertThat(dockerfile).contains("FROM eclipse-temurin:21-jre").containsPattern("(?m)^USER 10001");
        Tools.Result resolved = Tools.run("docker-compose", "-f", "docker-compose.yml", "config");
        JsonNode services = TypedManifests.YAML.readTree(resolved.output()).path("services");
        for (String service : List.of("gateway", "rules", "notifier")) {
            assertThat(services.path(service).path("read_only").asBoolean()).as(service).isTrue();
        }
    }

    @Test
    void composeRefusesAnUnknownKey() throws Exception {
        java.nio.file.Path broken = java.nio.file.Files.createTempFile("compose", ".yml");
        java.nio.file.Files.writeString(broken, """
                version: "3.8"
                services:
                  gateway:
                    image: x
                    read_onyl: true
                """);
        assertThat(Tools.run("docker-compose", "-f", broken.toString(), "config", "-q").exitCode()).isNotZero();
    }
}
