package dev.vigil.model;

/** How urgent an alert is. */
public enum Severity {
    INFO, WARNING, CRITICAL
}
