package dev.vigil.security;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * The management port (Actuator's own Tomcat, a child context of its own when {@code management.server.port} differs)
 * answers its container refusals as problem+json as well ({@link ProblemErrorReportValve}), and parameters it cannot
 * decode as a 400 ({@link UndecodableQueryFilter}).
 */
@ManagementContextConfiguration(ManagementContextType.CHILD)
@ConditionalOnClass(name = "org.apache.catalina.valves.ErrorReportValve")
class ProblemErrorManagementContext {

    @Bean
    static WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> managementProblemErrorReport() {
        return ProblemErrorReportValve.customizer(java.util.List.of());
    }

    @Bean
    static org.springframework.boot.web.servlet.FilterRegistrationBean<UndecodableQueryFilter> managementUndecodableQuery() {
        return UndecodableQueryFilter.registration(path -> path); // its paths carry no secret
    }
}
