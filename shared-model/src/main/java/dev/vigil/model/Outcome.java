package dev.vigil.model;

/** What an event says about the backup run it belongs to; {@code NONE} for events that carry no verdict. */
public enum Outcome {
    SUCCESS, WARNING, FAILED, NONE
}
