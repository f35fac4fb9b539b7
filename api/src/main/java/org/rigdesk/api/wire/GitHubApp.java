package org.rigdesk.api.wire;

/**
 * Sign in as a GitHub App ({@code app} in {@code PUT /v1/runner}): the App's id (or client id), its
 * private key (PEM, PKCS#1 as GitHub hands it out, or PKCS#8), and the installation to act as
 * (null: found from the registration's repository or organisation). The key is stored as the token
 * is (0600, root) and never returned.
 */
public record GitHubApp(String appId, String privateKeyPem, Long installationId) {

    @Override
    public String toString() {
        return "GitHubApp[appId=" + appId + ", privateKeyPem=<secret>, installationId=" + installationId + "]";
    }
}
