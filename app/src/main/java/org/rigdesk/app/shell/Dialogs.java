package org.rigdesk.app.shell;

/**
 * What a view-model asks the person before it acts. The window answers with a dialog
 * ({@link FxDialogs}); a test answers for the person.
 */
public interface Dialogs {

    /** A question before an action: its dialog's node id, the question, and what the action does. */
    record Confirmation(String id, String question, String consequences) {
    }

    /** Asks, and waits for the answer (on the UI thread): true when the person goes ahead. */
    boolean confirm(Confirmation confirmation);

    /** Answers yes to everything, for tests and scripted runs. */
    Dialogs YES = confirmation -> true;
}
