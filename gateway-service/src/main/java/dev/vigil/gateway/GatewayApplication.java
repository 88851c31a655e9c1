package dev.vigil.gateway;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The gateway: where backup software calls Vigil. Configuration lives in {@code gateway.yml}. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class GatewayApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /** The application as {@code main} runs it; tests that start several services in one JVM use it too. */
    public static SpringApplication application() {
        SpringApplication application = new SpringApplication(GatewayApplication.class);
        application.setDefaultProperties(Map.of("spring.config.name", "gateway"));
        return application;
    }
}
