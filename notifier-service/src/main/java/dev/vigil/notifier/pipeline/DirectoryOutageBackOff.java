package dev.vigil.notifier.pipeline;

import dev.vigil.notifier.recipients.DirectoryUnavailableException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * While the directory cannot be reached, what needs it (a receiver's part of an alert on
 * {@code backup.notifications.directory-wait}, a reminder) waits and is tried again — for as long as the outage
 * lasts, never dead-lettered — backing off up to a minute between tries. Other failures keep the shared back-off.
 */
@Configuration(proxyBeanMethods = false)
class DirectoryOutageBackOff {

    @Bean
    Object directoryOutageBackOffFunction(DefaultErrorHandler errorHandler) {
        ExponentialBackOff untilTheDirectoryIsBack = new ExponentialBackOff(1_000, 2.0);
        untilTheDirectoryIsBack.setMaxInterval(60_000);
        errorHandler.setBackOffFunction((record, exception) -> causedByDirectory(exception) ? untilTheDirectoryIsBack : null);
        return untilTheDirectoryIsBack;
    }

    private static boolean causedByDirectory(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DirectoryUnavailableException) {
                return true;
            }
        }
        return false;
    }
}
