package org.rigdesk.api.client;

/** A subscription to the daemon's events ({@link RigdeskApi#events}). */
public interface EventSubscription {

    /** Ends the subscription; the listener hears nothing more. Safe to call twice. */
    void cancel();
}
