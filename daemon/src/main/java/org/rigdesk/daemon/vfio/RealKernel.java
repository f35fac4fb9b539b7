package org.rigdesk.daemon.vfio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Writes the real /sys and runs the real modprobe. */
public class RealKernel implements Kernel {

    private static final Pattern MODULE = Pattern.compile("^[a-z0-9_-]{1,64}$");

    private final String modprobe;

    public RealKernel(String modprobe) {
        this.modprobe = modprobe;
    }

    @Override
    public void write(Path attribute, String value) throws IOException {
        // O_WRONLY|O_TRUNC as the shell's "echo >" opens it, but never O_CREAT: a sysfs attribute
        // exists or the write is wrong. One write() call, because sysfs takes each as a whole command.
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = Files.newOutputStream(attribute, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(bytes);
        }
    }

    @Override
    public void modprobe(String module) throws IOException {
        if (!MODULE.matcher(module).matches()) {
            throw new IllegalArgumentException("not a module name: " + module);
        }
        Process process = new ProcessBuilder(List.of(modprobe, module)).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(modprobe + " " + module + " did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while loading " + module, e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0) {
            throw new IOException(modprobe + " " + module + " failed (exit " + process.exitValue() + ")"
                    + (output.isEmpty() ? "" : ": " + output));
        }
    }
}
