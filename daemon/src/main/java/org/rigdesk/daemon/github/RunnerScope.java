package org.rigdesk.daemon.github;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where runners register: an organisation ({@code https://github.com/ORG}) or a repository
 * ({@code https://github.com/OWNER/REPO}), on github.com or GitHub Enterprise Server, with the
 * REST API base that serves it ({@code https://api.github.com}, or {@code https://HOST/api/v3}).
 */
public record RunnerScope(String owner, String repo, String apiBase) {

    private static final Pattern OWNER = Pattern.compile("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$");
    private static final Pattern REPO = Pattern.compile("^[A-Za-z0-9._-]{1,100}$");
    private static final Pattern URL = Pattern.compile("^https://([A-Za-z0-9.-]+(?::\\d{1,5})?)/([^/]+)(?:/([^/]+))?/?$");

    /** Whether {@code text} is a repository's full name, OWNER/REPO, as GitHub allows them. */
    public static boolean isRepository(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String repo = text.substring(slash + 1);
        return OWNER.matcher(text.substring(0, slash)).matches() && REPO.matcher(repo).matches()
                && !repo.equals(".") && !repo.equals("..");
    }

    /** Parses the scope URL; {@code apiUrl} overrides the API base (GHES). Bad input → IllegalArgumentException. */
    public static RunnerScope parse(String url, String apiUrl) {
        if (url == null) {
            throw new IllegalArgumentException("url is required: https://github.com/ORG or https://github.com/OWNER/REPO");
        }
        Matcher m = URL.matcher(url.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("url must look like https://github.com/ORG or https://github.com/OWNER/REPO, "
                    + "got '" + url.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        String host = m.group(1);
        String owner = m.group(2);
        String repo = m.group(3);
        if (!OWNER.matcher(owner).matches() || (repo != null && (!REPO.matcher(repo).matches()
                || repo.equals(".") || repo.equals("..")))) {
            throw new IllegalArgumentException("'" + owner + (repo == null ? "" : "/" + repo)
                    + "' is not a GitHub organisation or repository name");
        }
        String api;
        if (apiUrl != null && !apiUrl.isBlank()) {
            URI uri = URI.create(apiUrl.strip());
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("apiUrl must be an http(s) URL, got '" + apiUrl + "'");
            }
            api = apiUrl.strip().replaceAll("/+$", "");
        } else {
            api = host.equals("github.com") ? "https://api.github.com" : "https://" + host + "/api/v3";
        }
        return new RunnerScope(owner, repo, api);
    }

    public boolean isOrganisation() {
        return repo == null;
    }

    /** The runners collection: {@code /orgs/ORG/actions/runners} or {@code /repos/OWNER/REPO/actions/runners}. */
    public String runnersPath() {
        return (isOrganisation() ? "/orgs/" + owner : "/repos/" + owner + "/" + repo) + "/actions/runners";
    }

    public String display() {
        return isOrganisation() ? owner : owner + "/" + repo;
    }
}
