package dev.vigil.rules;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The rules service: decides what is wrong. Configuration lives in {@code rules.yml}. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RulesApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /** The application as {@code main} runs it; tests that start several services in one JVM use it too. */
    public static SpringApplication application() {
        SpringApplication application = new SpringApplication(RulesApplication.class);
        application.setDefaultProperties(Map.of("spring.config.name", "rules"));
        return application;
    }
}
