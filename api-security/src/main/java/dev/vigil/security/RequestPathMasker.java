package dev.vigil.security;

/**
 * What a service shows of a request's path in the error answers every Vigil service gives ({@link ProblemErrors},
 * the API's {@code 401} and {@code 403}): the RFC 9457 {@code instance}. A service whose paths can carry a secret (the
 * gateway's hook tokens) declares a bean of this type; without one, the path is shown as it came.
 */
@FunctionalInterface
public interface RequestPathMasker {

    /**
     * {@code path} (a request URI, as sent, not decoded) with every secret in it replaced; never {@code null}, and
     * only characters a URI path may hold.
     */
    String mask(String path);
}
