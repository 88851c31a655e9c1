package dev.vigil.model;

public enum AlertStatus {
    FIRING, RESOLVED
}
