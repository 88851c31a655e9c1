package dev.vigil.deploy;

import dev.vigil.kafka.InternalTopics;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.model.Topics;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** k8s/: both overlays rendered with {@code kubectl kustomize} and checked against the typed models. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubernetesManifestsTests {

    private final Map<String, List<JsonNode>> overlays = new java.util.LinkedHashMap<>();

    @BeforeAll
    void render() throws Exception {
        for (String overlay : List.of("dev", "prod")) {
            Tools.Result rendered = Tools.run("kubectl", "kustomize", "k8s/overlays/" + overlay);
            assertThat(rendered.exitCode()).as("kubectl kustomize k8s/overlays/%s: %s", overlay, rendered.output())
                    .isZero();
            overlays.put(overlay, TypedManifests.documents(rendered.output()));
        }
    }

    @Test
    void everyDocumentOfBothOverlaysReadsIntoItsModelWithoutAnUnknownField() {
        for (var overlay : overlays.entrySet()) {
            assertThat(overlay.getValue()).as(overlay.getKey()).hasSizeGreaterThan(30);
            List<String> problems = new ArrayList<>();
            overlay.getValue().forEach(document -> problems.addAll(TypedManifests.problems(document)));
            assertThat(problems).as("overlay " + overlay.getKey()).isEmpty();
        }
    }

    @Test
    void theCheckFindsAMisspelledFieldAndAValueOfTheWrongType() throws Exception {
        JsonNode typo = TypedManifests.documents("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: x
                spec:
                  replica: 2
                  template:
                    spec:
                      containers:
                        - name: x
                          image: x
                          readinesProbe: {}
                """).get(0);
        assertThat(TypedManifests.problems(typo)).containsExactlyInAnyOrder(
                "apps/v1/Deployment x.spec: unknown field(s) [replica]",
                "apps/v1/Deployment x.spec.template.spec.containers[0]: unknown field(s) [readinesProbe]");
        JsonNode topic = TypedManifests.documents("""
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata:
                  name: t
                spec:
                  partitions: many
                  replica: 3
                """).get(0);
        assertThat(TypedManifests.problems(topic)).singleElement().asString().contains("many");
    }

    @Test
    void everyContainerHasProbesResourcesAndRunsAsNonRootOnAReadOnlyFilesystem() {
        for (var overlay : overlays.entrySet()) {
            List<JsonNode> workloads = of(overlay.getValue(), "Deployment", "StatefulSet");
            assertThat(workloads).as(overlay.getKey()).hasSize(4);
            for (JsonNode workload : workloads) {
                JsonNode pod = workload.path("spec").path("template").path("spec");
                String name = overlay.getKey() + " " + workload.path("metadata").path("name").asText();
                assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(name).isTrue();
                for (JsonNode container : pod.path("containers")) {
                    assertThat(container.has("readinessProbe") && container.has("livenessProbe")).as(name).isTrue();
                    assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                            .as(name).isEqualTo("/actuator/health/readiness");
                    assertThat(container.path("resources").path("requests").has("memory")).as(name).isTrue();
                    assertThat(container.path("resources").path("limits").has("memory")).as(name).isTrue();
                    assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).as(name).isTrue();
                }
            }
            assertThat(of(overlay.getValue(), "StatefulSet")).singleElement()
                    .satisfies(rules -> assertThat(rules.path("spec").path("volumeClaimTemplates")).isNotEmpty());
        }
    }

    @Test
    void everyTopicAndItsDeadLetterTopicIsDeclaredWithReplicationThreeAndMinIsrTwoInProduction() throws Exception {
        Map<String, JsonNode> topics = of(overlays.get("prod"), "KafkaTopic").stream()
                .collect(Collectors.toMap(t -> t.path("spec").path("topicName").asText(), t -> t));
        for (String topic : topicNames()) {
            for (String name : List.of(topic, topic + Topics.DEAD_LETTER_SUFFIX)) {
                assertThat(topics).as("KafkaTopic for " + name).containsKey(name);
                JsonNode spec = topics.get(name).path("spec");
                assertThat(spec.path("replicas").asInt()).as(name).isEqualTo(3);
                assertThat(spec.path("config").path("min.insync.replicas").asInt()).as(name).isEqualTo(2);
            }
        }
        for (String compacted : List.of(Topics.ACCOUNTS, InternalTopics.ACCOUNT_ACTIVITY, Topics.SILENCES,
                InternalTopics.REGISTRATIONS)) {
            assertThat(topics.get(compacted).path("spec").path("config").path("cleanup.policy").asText())
                    .as(compacted).isEqualTo("compact");
        }
        JsonNode kafka = of(overlays.get("prod"), "Kafka").get(0).path("spec").path("kafka").path("config");
        assertThat(kafka.path("min.insync.replicas").asInt()).isEqualTo(2);
        assertThat(of(overlays.get("prod"), "KafkaNodePool").get(0).path("spec").path("replicas").asInt()).isEqualTo(3);
    }

    @Test
    void inEveryOverlayTheReplicationAskedForFitsTheBrokersThereAre() {
        for (var overlay : overlays.entrySet()) {
            int brokers = of(overlay.getValue(), "KafkaNodePool").get(0).path("spec").path("replicas").asInt();
            for (JsonNode topic : of(overlay.getValue(), "KafkaTopic")) {
                JsonNode spec = topic.path("spec");
                assertThat(spec.path("replicas").asInt()).as(overlay.getKey() + " " + spec.path("topicName"))
                        .isBetween(1, brokers);
                assertThat(spec.path("config").path("min.insync.replicas").asInt())
                        .isLessThanOrEqualTo(Math.max(1, spec.path("replicas").asInt() - 1));
            }
            JsonNode common = of(overlay.getValue(), "ConfigMap").stream()
                    .filter(c -> c.path("metadata").path("name").asText().equals("vigil-common")).findFirst().orElseThrow()
                    .path("data");
            assertThat(common.path("VIGIL_KAFKA_REPLICAS").asInt()).as(overlay.getKey()).isBetween(1, brokers);
            assertThat(common.path("SPRING_KAFKA_STREAMS_REPLICATION_FACTOR").asInt()).as(overlay.getKey())
                    .isBetween(1, brokers);
        }
    }

    @Test
    void theGatewayScalesWithAnHpaAndEveryServiceHasAServiceMonitorAndADisruptionBudget() {
        List<JsonNode> prod = overlays.get("prod");
        assertThat(of(prod, "HorizontalPodAutoscaler")).singleElement()
                .satisfies(h -> assertThat(h.path("spec").path("scaleTargetRef").path("name").asText()).isEqualTo("vigil-gateway"));
        assertThat(names(of(prod, "ServiceMonitor"))).containsExactlyInAnyOrder("vigil-gateway", "vigil-rules", "vigil-notifier", "vigil-console");
        assertThat(names(of(prod, "PodDisruptionBudget"))).containsExactlyInAnyOrder("vigil-gateway", "vigil-rules", "vigil-notifier", "vigil-console");
        assertThat(names(of(prod, "NetworkPolicy"))).contains("default-deny");
        assertThat(of(prod, "ConfigMap")).anySatisfy(c -> assertThat(c.path("metadata").path("labels")
                .path("grafana_dashboard").asText()).isEqualTo("1"));
    }

    @Test
    void thePrometheusRuleCarriesExactlyTheRulesOfThePlainRulesFile() throws Exception {
        JsonNode plain = TypedManifests.YAML.readTree(Tools.ROOT.resolve("ops/prometheus/vigil-rules.yml").toFile());
        JsonNode rule = TypedManifests.YAML.readTree(Tools.ROOT.resolve("k8s/base/monitoring/prometheus-rule.yaml").toFile());
        assertThat(rule.path("spec").path("groups"))
                .as("k8s/base/monitoring/prometheus-rule.yaml is out of date: run ops/generate-prometheus-rule.py")
                .isEqualTo(plain.path("groups"));
    }

    private static List<String> topicNames() throws IllegalAccessException {
        List<String> names = new ArrayList<>();
        for (Class<?> declaring : List.of(Topics.class, InternalTopics.class)) {
            for (Field field : declaring.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                        && !field.getName().equals("DEAD_LETTER_SUFFIX")) {
                    names.add((String) field.get(null));
                }
            }
        }
        return names;
    }

    private static List<JsonNode> of(List<JsonNode> documents, String... kinds) {
        List<String> wanted = List.of(kinds);
        return documents.stream().filter(d -> wanted.contains(d.path("kind").asText())).toList();
    }

    private static List<String> names(List<JsonNode> documents) {
        return documents.stream().map(d -> d.path("metadata").path("name").asText()).toList();
    }
}
