package dev.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.yaml.snakeyaml.Yaml;

/** The served OpenAPI document names exactly the endpoints and methods the gateway has. */
class OpenApiDocumentTests extends GatewayIntegrationTest {

    static final java.util.List<String> ANY_METHOD = java.util.List.of("GET", "HEAD", "POST", "PUT", "DELETE");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    @SuppressWarnings("unchecked")
    void theDocumentIsServedAndMatchesTheHandlerMappings() throws Exception {
        HttpResponse<String> response = get("/openapi.yaml");
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> document = new Yaml().load(response.body());
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) document.get("paths");

        Set<String> documented = new TreeSet<>();
        paths.forEach((path, operations) -> operations.keySet().forEach(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path)));
        Set<String> served = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            if (!handler.getBeanType().getPackageName().startsWith("dev.vigil.gateway")) {
                return;
            }
            for (String pattern : info.getPatternValues()) {
                var methods = info.getMethodsCondition().getMethods();
                // a mapping without a method takes every method: the document names the ones a client uses
                (methods.isEmpty() ? ANY_METHOD : methods.stream().map(Enum::name).toList())
                        .forEach(m -> served.add(m + " " + pattern));
            }
        });

        assertThat(documented).isEqualTo(served);
    }
}
