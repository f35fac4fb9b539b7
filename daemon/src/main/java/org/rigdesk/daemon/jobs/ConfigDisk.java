package org.rigdesk.daemon.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The job's config disk: a ustar archive (job.json, script, env, secrets) written as a raw disk
 * image, mode 0600, deleted with the job. The guest agent reads it with tar. This is the only way
 * a secret reaches the VM: never the kernel command line.
 */
final class ConfigDisk {

    private final Map<String, byte[]> files = new LinkedHashMap<>();

    ConfigDisk add(String name, String content) {
        files.put(name, content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Shell assignments that survive any value: single quotes, with each ' written as '\''. */
    static String exports(Map<String, String> variables) {
        StringBuilder text = new StringBuilder();
        variables.forEach((name, value) -> text.append("export ").append(name).append("='")
                .append(value.replace("'", "'\\''")).append("'\n"));
        return text.toString();
    }

    void write(Path target) throws IOException {
        Files.deleteIfExists(target);
        Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.WRITE)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                out.write(header(file.getKey(), file.getValue().length));
                out.write(file.getValue());
                int pad = (512 - file.getValue().length % 512) % 512;
                out.write(new byte[pad]);
            }
            out.write(new byte[1024]); // two zero blocks end the archive
        }
    }

    private static byte[] header(String name, int size) {
        byte[] header = new byte[512];
        put(header, 0, name, 100);
        put(header, 100, "0000600", 8);
        put(header, 108, "0000000", 8);
        put(header, 116, "0000000", 8);
        put(header, 124, String.format("%011o", size), 12);
        put(header, 136, String.format("%011o", 0), 12);
        header[156] = '0';
        put(header, 257, "ustar", 6);
        put(header, 263, "00", 2);
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum), 7);
        header[155] = ' ';
        return header;
    }

    private static void put(byte[] header, int offset, String value, int length) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, Math.min(bytes.length, length));
    }
}
