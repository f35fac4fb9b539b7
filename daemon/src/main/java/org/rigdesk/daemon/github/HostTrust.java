package org.rigdesk.daemon.github;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/**
 * A GitHub Enterprise Server whose certificate comes from the owner's own CA: the client made here
 * trusts that CA besides the system's, and is used only for calls to that registration's API host,
 * so the CA vouches for nothing else the daemon talks to.
 */
public final class HostTrust {

    private HostTrust() {
    }

    /** Checks the PEM: one or more X.509 certificates, else an IllegalArgumentException. */
    public static Collection<X509Certificate> parse(String pem) {
        if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException("caCertPem must be a PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        try {
            @SuppressWarnings("unchecked")
            Collection<X509Certificate> certs = (Collection<X509Certificate>) CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("caCertPem holds no certificate");
            }
            return certs;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("caCertPem cannot be read as an X.509 certificate");
        }
    }

    /** {@code base} trusting the system's CAs and those in {@code pem}. */
    public static OkHttpClient client(OkHttpClient base, String pem) {
        if (pem == null) {
            return base;
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate cert : parse(pem)) {
                store.setCertificateEntry("owner-ca-" + i++, cert);
            }
            X509TrustManager owners = trustManager(store);
            X509TrustManager system = trustManager(null);
            X509TrustManager either = new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                    system.checkClientTrusted(chain, authType);
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                    try {
                        system.checkServerTrusted(chain, authType);
                    } catch (CertificateException e) {
                        owners.checkServerTrusted(chain, authType);
                    }
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return system.getAcceptedIssuers();
                }
            };
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {either}, null);
            return base.newBuilder().sslSocketFactory(tls.getSocketFactory(), either).build();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot set up trust for the owner's CA", e);
        }
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }
}
