package org.rigdesk.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * The stand-in runner (packaging/dev/stand-in-runner.sh) as actions/runner releases it: a gzip'd
 * tar with {@code run.sh} at its top, plus {@code standin-version} so a VM's console says which
 * release it got.
 */
public final class StandInRunner {

    /** The stand-in's release by default: newer than GitHub's minimum (2.329.0). */
    public static final String VERSION = "2.330.0";

    private StandInRunner() {
    }

    public static Path script() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("packaging/dev/stand-in-runner.sh");
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        throw new IllegalStateException("packaging/dev/stand-in-runner.sh not found above " + Path.of("").toAbsolutePath());
    }

    public static byte[] tarball(String version) {
        return tarball(version, null, null);
    }

    /** The stand-in with one more member, {@code name} as written (a hostile tarball's "../x", say). */
    public static byte[] tarball(String version, String name, byte[] content) {
        try {
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            entry(tar, "./run.sh", Files.readAllBytes(script()), "0000755");
            entry(tar, "./standin-version", (version + "\n").getBytes(StandardCharsets.UTF_8), "0000644");
            if (name != null) {
                entry(tar, name, content, "0000644");
            }
            tar.write(new byte[1024]);
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
                out.write(tar.toByteArray());
            }
            return gz.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PKCS#1 PEM, as GitHub hands out an App's key: the RSAPrivateKey inside the PKCS#8 encoding. */
    public static String pkcs1Pem(PrivateKey key) {
        byte[] pkcs8 = key.getEncoded();
        // PrivateKeyInfo: SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING { RSAPrivateKey } }
        int i = 1;
        i += lengthBytes(pkcs8, i);
        i += 3; // INTEGER 0
        i += 2 + (pkcs8[i + 1] & 0xff); // AlgorithmIdentifier (short form)
        i += 1; // OCTET STRING tag
        int len = lengthBytes(pkcs8, i);
        byte[] pkcs1 = java.util.Arrays.copyOfRange(pkcs8, i + len, pkcs8.length);
        return "-----BEGIN RSA PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pkcs1) + "\n-----END RSA PRIVATE KEY-----\n";
    }

    private static int lengthBytes(byte[] der, int at) {
        int first = der[at] & 0xff;
        return first < 0x80 ? 1 : 1 + (first & 0x7f);
    }

    private static void entry(ByteArrayOutputStream tar, String name, byte[] data, String mode) throws IOException {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, mode);
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", data.length));
        put(header, 136, String.format("%011o", 0));
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[155] = ' ';
        tar.write(header);
        tar.write(data);
        tar.write(new byte[(512 - data.length % 512) % 512]);
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }
}
