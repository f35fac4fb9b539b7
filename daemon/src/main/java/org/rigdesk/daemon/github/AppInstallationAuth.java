package org.rigdesk.daemon.github;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.logging.Logger;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.rigdesk.api.wire.Json;

/**
 * Signs in as a GitHub App: a JWT finds the App's installation on the scope
 * ({@code GET /repos/{owner}/{repo}/installation} or {@code GET /orgs/{org}/installation}) unless
 * it was given, and is exchanged for an installation token
 * ({@code POST /app/installations/{id}/access_tokens}). The token lives an hour and cannot be
 * extended: a new one is taken when less than a quarter of its life is left (15 min of an hour),
 * and a failed renewal keeps the old token while it lasts — the pool backs off, running jobs
 * never notice. Neither the key nor a token is ever logged.
 */
public final class AppInstallationAuth implements GitHubAuth {

    private static final Logger LOG = Logger.getLogger(AppInstallationAuth.class.getName());

    /** GitHub refused the App itself (its key, its id, or no installation on the scope). */
    public static final class SignInException extends GitHubException {
        public SignInException(int status, String message) {
            super(status, message, null);
        }
    }

    private final OkHttpClient http;
    private final RunnerScope scope;
    private final String appId;
    private final PrivateKey key;
    private final String userAgent;
    private final Clock clock;
    private volatile Long installationId;
    private String token;
    private Instant issuedAt;
    private Instant expiresAt;

    public AppInstallationAuth(OkHttpClient http, RunnerScope scope, String appId, PrivateKey key, Long installationId,
                               String userAgent, Clock clock) {
        this.http = http;
        this.scope = scope;
        this.appId = appId;
        this.key = key;
        this.installationId = installationId;
        this.userAgent = userAgent;
        this.clock = clock;
    }

    public String appId() {
        return appId;
    }

    /** The installation acted as: given, or found at the first sign-in. */
    public Long installationId() {
        return installationId;
    }

    @Override
    public synchronized String bearer() throws IOException {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(renewAt())) {
            try {
                renew(now);
            } catch (IOException e) {
                if (token != null && now.isBefore(expiresAt)) {
                    LOG.warning("renewing the App's installation token failed; the current one lasts until "
                            + expiresAt + ": " + e.getMessage());
                    return token;
                }
                throw e;
            }
        }
        return token;
    }

    /** Always worth one more try: the refused token is dropped, or another call has already renewed it. */
    @Override
    public synchronized boolean refused(String bearer) {
        if (bearer.equals(token)) {
            token = null; // revoked or expired early: the next call signs in again
        }
        return true;
    }

    /** Renew when a quarter of the token's life is left (a one-hour token: at 45 min). */
    private Instant renewAt() {
        Duration life = Duration.between(issuedAt, expiresAt);
        return expiresAt.minus(life.dividedBy(4));
    }

    private void renew(Instant now) throws IOException {
        String jwt = AppKeys.jwt(appId, key, now);
        if (installationId == null) {
            String path = scope.isOrganisation() ? "/orgs/" + scope.owner() + "/installation"
                    : "/repos/" + scope.owner() + "/" + scope.repo() + "/installation";
            JsonNode installation = call(request(path, jwt).get().build(), "finding the App's installation on "
                    + scope.display());
            long id = installation.path("id").asLong(0);
            if (id <= 0) {
                throw new SignInException(502, "GitHub's installation answer has no id");
            }
            installationId = id;
        }
        JsonNode answer = call(request("/app/installations/" + installationId + "/access_tokens", jwt)
                .post(RequestBody.create(new byte[0])).build(), "taking an installation token");
        String next = answer.path("token").asText("");
        if (next.isEmpty()) {
            throw new SignInException(502, "GitHub's access_tokens answer has no token");
        }
        Instant expires;
        try {
            expires = Instant.parse(answer.path("expires_at").asText(""));
        } catch (DateTimeParseException e) {
            expires = now.plus(Duration.ofMinutes(60)); // GitHub's documented lifetime
        }
        token = next;
        issuedAt = now;
        expiresAt = expires.isAfter(now) ? expires : now.plusSeconds(1);
        LOG.fine(() -> "took an installation token for App " + appId + " until " + expiresAt);
    }

    private Request.Builder request(String path, String jwt) throws IOException {
        HttpUrl url = HttpUrl.parse(scope.apiBase() + path);
        if (url == null) {
            throw new IOException("not a URL: " + scope.apiBase() + path);
        }
        return GitHubApi.documented(url, userAgent).header("Authorization", "Bearer " + jwt);
    }

    private JsonNode call(Request request, String doing) throws IOException {
        try (Response response = http.newCall(request).execute()) {
            String text = response.body().string();
            if (response.code() == 401 || response.code() == 403 || response.code() == 404) {
                String message = GitHubApi.message(text);
                throw new SignInException(response.code(), doing + ": " + message + switch (response.code()) {
                    case 401 -> " (check the App id and its private key)";
                    case 404 -> " (is the App installed on " + scope.display() + "?)";
                    default -> "";
                });
            }
            if (!response.isSuccessful()) {
                throw new GitHubException(response.code(), doing + ": " + GitHubApi.message(text),
                        GitHubApi.retryAfter(response));
            }
            return Json.mapper().readTree(text);
        }
    }
}
