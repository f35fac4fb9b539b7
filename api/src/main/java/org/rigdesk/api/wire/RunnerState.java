package org.rigdesk.api.wire;

/** The runner registration's state, as a person reads it ({@link RunnerStatus#state()}). */
public enum RunnerState {
    /** No registration: the machine takes no GitHub jobs. */
    NOT_REGISTERED("not registered"),
    /** Draining or drained: no new runners until resumed. */
    PAUSED("paused"),
    /** GitHub does not answer, or asked us to wait: the pool backs off and retries by itself. */
    CANNOT_REACH_GITHUB("cannot reach GitHub"),
    /** Registered, and the slots are kept filled. */
    READY("ready");

    private final String words;

    RunnerState(String words) {
        this.words = words;
    }

    /** How the window and the tray say it ("runner " + this). */
    public String words() {
        return words;
    }
}
