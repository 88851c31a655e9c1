package dev.vigil.security;

import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;

/**
 * The error page of every Vigil service: whatever ended in the servlet container's error dispatch (a method not
 * allowed, a path Spring's firewall refused, a timed-out body, an answer the caller's {@code Accept} could not take)
 * is answered as an RFC 9457 {@code application/problem+json} document, whatever the {@code Accept} header says;
 * never Spring Boot's Whitelabel HTML page or its {@code {"timestamp", "error"}} JSON, never a stack trace or a class
 * name. Paths listed in {@code vigil.web.plain-text-paths} (the gateway's {@code /ping}: healthchecks' clients
 * expect plain text) get the status's plain reason instead. {@code /error} asked for directly is a {@code 404}. The
 * {@code instance} shows the path as a {@link RequestPathMasker} bean masks it, and an {@link ErrorPageListener} bean
 * is told of each answer.
 */
@AutoConfiguration(before = ErrorMvcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ProblemErrors {

    @Bean
    @ConditionalOnMissingBean(ErrorController.class)
    ProblemErrorController problemErrorController(org.springframework.core.env.Environment environment,
                                                  org.springframework.beans.factory.ObjectProvider<RequestPathMasker> masker,
                                                  org.springframework.beans.factory.ObjectProvider<ErrorPageListener> listener) {
        return new ProblemErrorController(plainTextPaths(environment), masker.getIfAvailable(() -> path -> path),
                listener.getIfAvailable(() -> (request, path, status, detail) -> { }));
    }

    /** Tomcat's own refusals (before Spring runs) as problem+json too: {@link ProblemErrorReportValve}. */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnClass(
            name = "org.apache.catalina.valves.ErrorReportValve")
    static org.springframework.boot.web.server.WebServerFactoryCustomizer<
            org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory> problemErrorReport(
            org.springframework.core.env.Environment environment) {
        return ProblemErrorReportValve.customizer(plainTextPaths(environment));
    }

    /** Parameters Tomcat cannot decode are a 400, never an ERROR in the log: {@link UndecodableQueryFilter}. */
    @Bean
    static org.springframework.boot.web.servlet.FilterRegistrationBean<UndecodableQueryFilter> undecodableQuery(
            org.springframework.beans.factory.ObjectProvider<RequestPathMasker> masker) {
        return UndecodableQueryFilter.registration(masker.getIfAvailable(() -> path -> path));
    }

    /** The JSON APIs answer JSON whatever {@code Accept} says: {@link JsonApiAcceptFilter}. */
    @Bean
    static org.springframework.boot.web.servlet.FilterRegistrationBean<JsonApiAcceptFilter> jsonApiAccept() {
        return JsonApiAcceptFilter.registration();
    }

    static List<String> plainTextPaths(org.springframework.core.env.Environment environment) {
        return org.springframework.boot.context.properties.bind.Binder.get(environment)
                .bind("vigil.web.plain-text-paths", org.springframework.boot.context.properties.bind.Bindable
                        .listOf(String.class)).orElse(List.of());
    }
}
