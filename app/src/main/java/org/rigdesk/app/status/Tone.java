package org.rigdesk.app.status;

/**
 * The colour family of a state, one palette for every page, the tray and notifications: the style
 * class {@code tone-NAME} gives a label its text colour from the AtlantaFX theme (light and dark).
 */
public enum Tone {
    /** Done well, or healthy: ✓ green. */
    GOOD,
    /** Working now (a job runs): blue. */
    ACTIVE,
    /** Lent and waiting for work: blue, quieter. */
    IDLE,
    /** On its way (moving, starting, stopping): amber. */
    MOVING,
    /** Wants the owner's eye, not broken: amber. */
    WARN,
    /** Failed or unreachable: red. */
    BAD,
    /** Nothing happening (on the desk, queued, cancelled): the muted text colour. */
    QUIET;

    public String styleClass() {
        return "tone-" + name().toLowerCase(java.util.Locale.ROOT);
    }
}
