package org.rigdesk.daemon.vfio;

import java.io.IOException;
import java.nio.file.Path;

/**
 * For fault tests only (hidden flag): waits after every {@code unbind} write, so a test can kill
 * the daemon between a function's unbind and its probe, on the real kernel too.
 */
public class PausingKernel implements Kernel {

    private final Kernel kernel;
    private final long pauseMillis;

    public PausingKernel(Kernel kernel, long pauseMillis) {
        this.kernel = kernel;
        this.pauseMillis = pauseMillis;
    }

    @Override
    public void write(Path attribute, String value) throws IOException {
        kernel.write(attribute, value);
        if (attribute.getFileName().toString().equals("unbind")) {
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void modprobe(String module) throws IOException {
        kernel.modprobe(module);
    }
}
