package org.rigdesk.app.status;

/**
 * How a state reads: an icon (a shape, so colour is never the only cue), the owner's words, a tone
 * for the colour, and the technical term behind the words (for a tooltip or a detail line).
 */
public record Look(String icon, String words, Tone tone, String term) {

    /** The icon and the words, as one label reads: "✓ Succeeded". */
    public String text() {
        return icon + " " + words;
    }

    /** The same look with other words (a job number, a repository added). */
    public Look withWords(String more) {
        return new Look(icon, more, tone, term);
    }
}
