package org.rigdesk.app.cli;

import java.util.List;
import java.util.regex.Pattern;

/** Joins argv into one shell line, quoting only what needs it, so {@code run -- echo "a b"} means the same in the VM. */
final class ShellWords {

    private static final Pattern PLAIN = Pattern.compile("^[A-Za-z0-9_@%+=:,./-]+$");

    private ShellWords() {
    }

    static String join(List<String> words) {
        if (words.size() == 1) {
            return words.get(0); // one argument is a whole script line: "run -- 'make && make test'"
        }
        StringBuilder line = new StringBuilder();
        for (String word : words) {
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'");
        }
        return line.toString();
    }
}
