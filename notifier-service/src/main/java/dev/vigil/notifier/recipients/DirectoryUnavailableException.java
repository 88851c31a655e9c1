package dev.vigil.notifier.recipients;

/** The directory could not be asked; the notification waits and is tried again, never dropped. */
public class DirectoryUnavailableException extends RuntimeException {

    public DirectoryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
