package dev.vigil.rules;

import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Rule settings as the service binds them, from a few overriding properties. */
final class RulesTestSupport {

    private RulesTestSupport() {
    }

    static RulesProperties properties(Map<String, String> overrides) {
        return new Binder(new MapConfigurationPropertySource(overrides)).bindOrCreate("vigil.rules", RulesProperties.class);
    }
}
