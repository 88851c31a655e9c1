package dev.vigil.gateway.web;

import java.util.List;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Security guards the gateway's management API ({@code /api/v1/registrations}, API keys) and nothing else:
 * hooks authenticate with their registration tokens and must reach Vigil's own code whatever a backup product puts
 * in their paths, so Spring Security's filter (and its firewall) is registered for the registration API's paths only.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurityScope {

    static final List<String> API_PATHS = List.of("/api/v1/registrations", "/api/v1/registrations/*");

    @Bean
    static BeanPostProcessor securityFilterOnApiPathsOnly() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) {
                if (bean instanceof DelegatingFilterProxyRegistrationBean registration) {
                    registration.setUrlPatterns(API_PATHS);
                }
                return bean;
            }
        };
    }
}
