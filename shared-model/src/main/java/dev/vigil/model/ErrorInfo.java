package dev.vigil.model;

/** The error a source reported: its own code (kept as text, e.g. Retrospect's {@code -530}) and message. */
public record ErrorInfo(String code, String message) {
}
