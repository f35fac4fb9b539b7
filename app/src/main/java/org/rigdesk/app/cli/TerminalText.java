package org.rigdesk.app.cli;

/**
 * A job's output made safe for a terminal: its bytes are a stranger's, and escape sequences can
 * retitle the window, move the cursor over earlier lines, or (on some terminals) answer back into
 * the shell. Control characters show in caret notation ({@code ESC} as {@code ^[}), C1 controls as
 * {@code ?}; tabs and line ends stay, and a lone carriage return (a progress bar redrawing its
 * line) becomes a line end, so no text can be written over other text. {@code --raw} skips this.
 */
final class TerminalText {

    private boolean carriageReturn;

    /** Whether the CLI's standard output is a terminal (Java's console needs standard input to be one too). */
    static boolean stdoutIsTerminal() {
        return System.console() != null;
    }

    /** The visible form of the next piece of text; a carriage return at its end waits for the next piece. */
    String visible(CharSequence text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (carriageReturn) {
                carriageReturn = false;
                out.append('\n');
                if (c == '\n') {
                    continue;
                }
            }
            if (c == '\r') {
                carriageReturn = true;
            } else if (c == '\n' || c == '\t') {
                out.append(c);
            } else if (c < 0x20) {
                out.append('^').append((char) (c + 0x40));
            } else if (c == 0x7f) {
                out.append("^?");
            } else if (c >= 0x80 && c < 0xa0) {
                out.append('?');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** What is still held back at the end of the output. */
    String end() {
        String rest = carriageReturn ? "\n" : "";
        carriageReturn = false;
        return rest;
    }
}
