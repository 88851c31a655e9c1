package dev.vigil.security;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Told of each answer the error page of a service gives ({@link ProblemErrors}): what the servlet container or Spring
 * refused before the service's own code could answer (a {@code TRACE}, which Tomcat refuses itself, a body that did
 * not arrive in time, an exception nothing handled). A service that keeps what it refuses (the gateway, on
 * {@code backup.rejected}) declares a bean of this type; without one, nothing is told. A listener must not throw.
 */
@FunctionalInterface
public interface ErrorPageListener {

    /**
     * @param request the error dispatch of the refused request (its method is the one the caller sent)
     * @param path    the refused request's path, as {@link RequestPathMasker} shows it
     * @param status  the HTTP status answered, 400 to 599
     * @param detail  the one-line reason answered
     */
    void answered(HttpServletRequest request, String path, int status, String detail);
}
