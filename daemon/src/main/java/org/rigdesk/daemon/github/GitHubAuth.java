package org.rigdesk.daemon.github;

import java.io.IOException;

/**
 * What a GitHub call is signed with: an owner's token, or a GitHub App's installation token that
 * is renewed before it expires. Tokens are opaque: nothing assumes their length or form.
 */
public interface GitHubAuth {

    /** The token for the next call's {@code Authorization: Bearer} header. */
    String bearer() throws IOException;

    /** GitHub refused {@code bearer} (401): true when a fresh one is worth one more try. */
    default boolean refused(String bearer) {
        return false;
    }

    /** An owner's token, as given. */
    static GitHubAuth token(String token) {
        return () -> token;
    }
}
