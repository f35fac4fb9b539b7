package org.rigdesk.daemon.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/** QEMU: microvm for CPU jobs, q35 with vfio-pci for GPU jobs; QMP for powerdown and quit. */
public class QemuVmm implements Vmm {

    private static final Logger LOG = Logger.getLogger(QemuVmm.class.getName());

    private final String qemu;
    private final String qemuImg;

    public QemuVmm(String qemu, String qemuImg) {
        this.qemu = qemu;
        this.qemuImg = qemuImg;
    }

    @Override
    public String name() {
        return "qemu";
    }

    @Override
    public boolean supportsVfio() {
        return true;
    }

    @Override
    public boolean takesQcow2Layers() {
        return true;
    }

    @Override
    public void createRootDisk(Path base, Path target) throws IOException {
        Process process = new ProcessBuilder(qemuImg, "create", "-q", "-f", "qcow2", "-b", base.toString(), "-F", "raw",
                target.toString()).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("qemu-img did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("qemu-img create failed: "
                    + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        }
    }

    @Override
    public VmInstance boot(VmSpec spec) throws IOException {
        Path qmp = spec.workDir().resolve("qmp.sock");
        List<String> argv = QemuCommand.build(qemu, spec, qmp, spec.workDir().resolve("vmm.pid"));
        Process process = new ProcessBuilder(spec.launch().wrap(argv, spec.tap()))
                .redirectErrorStream(true)
                .redirectOutput(spec.vmmLog().toFile())
                .start();
        LOG.fine(() -> "started " + String.join(" ", argv));
        return new ProcessVm(process) {
            @Override
            public void powerdown() {
                try {
                    QmpClient.execute(qmp, "system_powerdown");
                } catch (IOException e) {
                    LOG.fine(() -> "QMP powerdown failed: " + e.getMessage());
                }
            }

            @Override
            public void attachDisk(Path disk, String serial) throws IOException {
                if (!spec.diskLater()) {
                    throw new IOException("the VM was not made to take a disk while it runs");
                }
                // Raw, named: the format is never probed from what the guest may have written.
                QmpClient.execute(qmp, List.of(
                        Map.of("execute", "blockdev-add", "arguments", Map.of("driver", "raw", "node-name", "late-" + serial,
                                "file", Map.of("driver", "file", "filename", disk.toString()))),
                        Map.of("execute", "device_add", "arguments", Map.of("driver", "virtio-blk-pci",
                                "drive", "late-" + serial, "id", "dev-" + serial, "serial", serial,
                                "bus", QemuCommand.HOTPLUG_PORT))));
            }

            @Override
            public void kill() {
                try {
                    QmpClient.execute(qmp, "quit");
                    if (process.waitFor(2, TimeUnit.SECONDS)) {
                        return;
                    }
                } catch (IOException e) {
                    // QEMU is not answering: kill it below
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.kill();
            }
        };
    }
}
