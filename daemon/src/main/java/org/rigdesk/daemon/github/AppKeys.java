package org.rigdesk.daemon.github;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;

/**
 * A GitHub App's private key and the JWT it signs. GitHub hands out PKCS#1 PEM ("BEGIN RSA PRIVATE
 * KEY"); Java reads PKCS#8, so a PKCS#1 key is wrapped in PKCS#8's envelope. The JWT is RS256 with
 * {@code iat} 60 s in the past (clock drift), {@code exp} 9 minutes ahead (GitHub takes at most 10)
 * and {@code iss} the App's id or client id, as GitHub documents.
 */
public final class AppKeys {

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    /** rsaEncryption's AlgorithmIdentifier: SEQUENCE { OID 1.2.840.113549.1.1.1, NULL }. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private AppKeys() {
    }

    /** The key from its PEM text; anything else is an IllegalArgumentException that never quotes the text. */
    public static PrivateKey parse(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("the App's private key is required (the .pem file GitHub gave)");
        }
        boolean pkcs1 = pem.contains("-----BEGIN RSA PRIVATE KEY-----");
        boolean pkcs8 = pem.contains("-----BEGIN PRIVATE KEY-----");
        if (!pkcs1 && !pkcs8) {
            throw new IllegalArgumentException("the App's private key must be a PEM RSA private key "
                    + "(-----BEGIN RSA PRIVATE KEY----- as GitHub gives it, or PKCS#8)");
        }
        String body = pem.replaceAll("-----(BEGIN|END) (RSA )?PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(body);
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs1 ? wrap(der) : der));
            if (((RSAPrivateKey) key).getModulus().bitLength() < 2048) {
                throw new IllegalArgumentException("the App's private key is shorter than 2048 bits");
            }
            return key;
        } catch (IllegalArgumentException | GeneralSecurityException | ClassCastException e) {
            if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith("the App")) {
                throw (IllegalArgumentException) e;
            }
            throw new IllegalArgumentException("the App's private key cannot be read as an RSA key in PEM");
        }
    }

    /** A JWT that signs in as the App {@code issuer} (its id or client id) at {@code now}. */
    public static String jwt(String issuer, PrivateKey key, Instant now) {
        String header = URL.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        long seconds = now.getEpochSecond();
        String claims = "{\"iat\":" + (seconds - 60) + ",\"exp\":" + (seconds + 540) + ",\"iss\":\""
                + issuer.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        String signed = header + "." + URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + URL.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the App's JWT", e);
        }
    }

    /** PKCS#8's PrivateKeyInfo around a PKCS#1 RSAPrivateKey: SEQUENCE { 0, rsaEncryption, OCTET STRING key }. */
    static byte[] wrap(byte[] pkcs1) {
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        inner.writeBytes(new byte[] {0x02, 0x01, 0x00});
        inner.writeBytes(RSA_ALGORITHM);
        inner.write(0x04);
        inner.writeBytes(length(pkcs1.length));
        inner.writeBytes(pkcs1);
        ByteArrayOutputStream outer = new ByteArrayOutputStream();
        outer.write(0x30);
        outer.writeBytes(length(inner.size()));
        outer.writeBytes(inner.toByteArray());
        return outer.toByteArray();
    }

    private static byte[] length(int n) {
        if (n < 0x80) {
            return new byte[] {(byte) n};
        }
        if (n < 0x100) {
            return new byte[] {(byte) 0x81, (byte) n};
        }
        if (n < 0x10000) {
            return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        }
        return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    }
}
