package dev.vigil.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Kubernetes documents into the typed models of fabric8 (Kubernetes, Prometheus Operator) and Strimzi, and
 * finds what the models do not know: these models keep unknown fields in {@code additionalProperties} instead of
 * failing, so every object is walked and a non-empty one reported with its path.
 */
final class TypedManifests {

    static final ObjectMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = JsonMapper.builder().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).build();

    private static final Map<String, String> MODELS = Map.ofEntries(
            Map.entry("v1/Namespace", "io.fabric8.kubernetes.api.model.Namespace"),
            Map.entry("v1/ConfigMap", "io.fabric8.kubernetes.api.model.ConfigMap"),
            Map.entry("v1/Secret", "io.fabric8.kubernetes.api.model.Secret"),
            Map.entry("v1/Service", "io.fabric8.kubernetes.api.model.Service"),
            Map.entry("apps/v1/Deployment", "io.fabric8.kubernetes.api.model.apps.Deployment"),
            Map.entry("apps/v1/StatefulSet", "io.fabric8.kubernetes.api.model.apps.StatefulSet"),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler",
                    "io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler"),
            Map.entry("policy/v1/PodDisruptionBudget", "io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget"),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", "io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy"),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", "io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor"),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", "io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule"),
            Map.entry("kafka.strimzi.io/v1beta2/Kafka", "io.strimzi.api.kafka.model.kafka.Kafka"),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", "io.strimzi.api.kafka.model.nodepool.KafkaNodePool"),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", "io.strimzi.api.kafka.model.topic.KafkaTopic"));

    private TypedManifests() {
    }

    /** The documents of a multi-document YAML stream, empty ones left out. */
    static List<JsonNode> documents(String yaml) throws Exception {
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            var iterator = YAML.readValues(parser, JsonNode.class);
            while (iterator.hasNext()) {
                JsonNode document = iterator.next();
                if (document != null && !document.isNull() && !document.isEmpty()) {
                    documents.add(document);
                }
            }
        }
        return documents;
    }

    static String kindOf(JsonNode document) {
        return document.path("apiVersion").asText() + "/" + document.path("kind").asText();
    }

    /** @return the problems of one document: an unknown kind, a value of the wrong type, an unknown field */
    static List<String> problems(JsonNode document) {
        String kind = kindOf(document);
        String name = kind + " " + document.path("metadata").path("name").asText();
        String model = MODELS.get(kind);
        if (model == null) {
            return List.of(name + ": no model for " + kind);
        }
        Object typed;
        try {
            typed = YAML.treeToValue(document, Class.forName(model));
        } catch (Exception e) {
            return List.of(name + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
        List<String> problems = new ArrayList<>();
        walk(typed, name, problems, new IdentityHashMap<>());
        return problems;
    }

    private static void walk(Object value, String path, List<String> problems, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, problems, seen));
            return;
        }
        String type = value.getClass().getName();
        if (!type.startsWith("io.fabric8.") && !type.startsWith("io.strimzi.")) {
            return;
        }
        try {
            for (PropertyDescriptor property : Introspector.getBeanInfo(value.getClass()).getPropertyDescriptors()) {
                Method getter = property.getReadMethod();
                if (getter == null || getter.getParameterCount() > 0 || property.getName().equals("class")) {
                    continue;
                }
                Object child = getter.invoke(value);
                if (property.getName().equals("additionalProperties")) {
                    if (child instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
                        problems.add(path + ": unknown field(s) " + unknown.keySet());
                    }
                } else {
                    walk(child, path + "." + property.getName(), problems, seen);
                }
            }
        } catch (ReflectiveOperationException | java.beans.IntrospectionException e) {
            problems.add(path + ": cannot inspect " + type + ": " + e);
        }
    }
}
