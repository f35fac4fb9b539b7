package org.rigdesk.daemon.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a short command (nvidia-smi queries, rocm-smi, ip, nft) with a deadline; kills it when it hangs. */
public final class CommandRunner {

    private CommandRunner() {
    }

    /** The command's output; an IOException with its output when it fails or overruns {@code timeout}. */
    public static String run(List<String> argv, Duration timeout) throws IOException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
            try {
                return process.getInputStream().readNBytes(4 * 1024 * 1024);
            } catch (IOException e) {
                return new byte[0];
            }
        });
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IOException(argv.get(0) + " did not finish within " + timeout.toSeconds() + " s");
            }
            String text = new String(output.get(2, TimeUnit.SECONDS), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IOException(argv.get(0) + " failed with code " + process.exitValue() + ": "
                        + abbreviate(text.strip()));
            }
            return text;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IOException(argv.get(0) + " output could not be read", e);
        }
    }

    /** A command's output in an error message: its first 300 characters. */
    static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
