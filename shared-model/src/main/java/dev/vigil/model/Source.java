package dev.vigil.model;

/** The kind of software that called Vigil. */
public enum Source {
    RETROSPECT, XSIBACKUP, STONEY, HEALTHCHECKS, GENERIC
}
