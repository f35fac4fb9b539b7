package org.rigdesk.daemon.release;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.rigdesk.api.wire.Json;
import org.rigdesk.daemon.github.GitHubApi;

/**
 * Reads actions/runner's newest release as GitHub's REST API gives it
 * ({@code GET {api}/repos/actions/runner/releases/latest}): its version, when it was published, the
 * linux-x64 tarball's download URL and its SHA-256 — the asset's {@code digest} ("sha256:…") where
 * GitHub gives one, else the release notes' {@code <!-- BEGIN SHA linux-x64 -->…<!-- END SHA linux-x64 -->}.
 * The repository is public: no credentials are sent (GitHub's unauthenticated limit is far above a
 * daily read), so no token ever reaches a host that serves downloads.
 */
public final class ReleaseFeed {

    private static final Pattern NOTES_SHA = Pattern.compile(
            "<!--\\s*BEGIN SHA linux-x64\\s*-->\\s*([0-9a-fA-F]{64})\\s*<!--\\s*END SHA linux-x64\\s*-->");
    private static final Pattern HEX = Pattern.compile("^[0-9a-f]{64}$");

    /** A release: {@code sha256} null when GitHub gives no hash for it. */
    public record Release(RunnerVersion version, Instant publishedAt, String downloadUrl, String sha256, long size) {
    }

    private final OkHttpClient http;
    private final String apiBase;
    private final String userAgent;

    public ReleaseFeed(OkHttpClient http, String apiBase, String userAgent) {
        this.http = http;
        this.apiBase = apiBase.replaceAll("/+$", "");
        this.userAgent = userAgent;
    }

    public String apiBase() {
        return apiBase;
    }

    public Release latest() throws IOException {
        HttpUrl url = HttpUrl.parse(apiBase + "/repos/actions/runner/releases/latest");
        if (url == null) {
            throw new IOException("not a URL: " + apiBase);
        }
        Request request = GitHubApi.documented(url, userAgent).get().build();
        try (Response response = http.newCall(request).execute()) {
            String text = response.body().string();
            if (!response.isSuccessful()) {
                throw new IOException(url.host() + " answered " + response.code() + " for actions/runner's latest release");
            }
            return parse(Json.mapper().readTree(text));
        }
    }

    /** The release from its JSON; one without a linux-x64 tarball, or with a malformed field, is refused. */
    static Release parse(JsonNode release) throws IOException {
        RunnerVersion version;
        try {
            version = RunnerVersion.parse(release.path("tag_name").asText(""));
        } catch (IllegalArgumentException e) {
            throw new IOException("the latest release's tag is " + e.getMessage());
        }
        Instant published = null;
        try {
            String text = release.path("published_at").asText("");
            published = text.isEmpty() ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            // an unreadable date counts as unknown: the age check then uses when we fetched it
        }
        String name = RunnerVersion.assetName(version);
        for (JsonNode asset : release.path("assets")) {
            if (!name.equals(asset.path("name").asText())) {
                continue;
            }
            String download = asset.path("browser_download_url").asText("");
            if (HttpUrl.parse(download) == null) {
                throw new IOException("the release's " + name + " has no download URL");
            }
            String sha = digest(asset.path("digest").asText(""));
            if (sha == null) {
                Matcher notes = NOTES_SHA.matcher(release.path("body").asText(""));
                sha = notes.find() ? notes.group(1).toLowerCase(Locale.ROOT) : null;
            }
            return new Release(version, published, download, sha, asset.path("size").asLong(-1));
        }
        throw new IOException("release v" + version + " has no " + name);
    }

    /** "sha256:HEX" → HEX; another algorithm or a malformed digest → null (the notes are read then). */
    static String digest(String field) {
        if (!field.startsWith("sha256:")) {
            return null;
        }
        String hex = field.substring("sha256:".length()).toLowerCase(Locale.ROOT);
        return HEX.matcher(hex).matches() ? hex : null;
    }
}
