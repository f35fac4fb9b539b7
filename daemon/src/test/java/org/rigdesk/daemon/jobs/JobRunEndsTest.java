package org.rigdesk.daemon.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Job;
import org.rigdesk.daemon.sandbox.Cgroups;
import org.rigdesk.daemon.sandbox.VmmSandbox;
import org.rigdesk.daemon.vm.VmInstance;
import org.rigdesk.daemon.vm.VmSpec;
import org.rigdesk.daemon.vm.Vmm;

/** No zombie jobs: whatever a job's thread meets, the job ends with the reason and its disks go. */
class JobRunEndsTest {

    @TempDir
    Path dir;

    /** A VMM of these tests: a root disk is a file, GPUs are fine; only its boot differs. */
    private interface TestVmm extends Vmm {
        @Override
        default boolean supportsVfio() {
            return true;
        }

        @Override
        default void createRootDisk(Path base, Path target) throws java.io.IOException {
            Files.writeString(target, "disk");
        }
    }

    /** A VMM that fails in the way given. */
    private record FailingVmm(Throwable failure) implements TestVmm {
        @Override
        public String name() {
            return "failing";
        }

        @Override
        public VmInstance boot(VmSpec spec) {
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) failure;
        }
    }

    /**
     * A VM that is over before its job's thread first looks: the guest's 'started' and 'exit' are
     * both read after the VMM has gone, and must still count, in their order.
     */
    private record InstantVmm() implements TestVmm {
        @Override
        public String name() {
            return "instant";
        }

        @Override
        public VmInstance boot(VmSpec spec) throws java.io.IOException {
            Files.writeString(spec.controlLog(), "{\"event\":\"started\"}\n{\"event\":\"exit\",\"code\":3}\n");
            new java.io.FileOutputStream(spec.consoleLog().toFile()).close(); // the FIFO's writer comes and goes
            return new VmInstance() {
                public long pid() {
                    return ProcessHandle.current().pid();
                }

                public boolean isAlive() {
                    return false;
                }

                public void powerdown() {
                }

                public void kill() {
                }

                public java.util.OptionalInt waitFor(Duration timeout) {
                    return java.util.OptionalInt.of(0);
                }
            };
        }
    }

    @Test
    void aGuestWhoseStartAndExitAreReadOnlyAfterItsVmIsGoneKeepsItsExitCode() {
        List<Job> updates = run(new InstantVmm());
        Job end = updates.get(updates.size() - 1);
        assertEquals(JobState.FAILED.wire(), end.state(), end.toString());
        assertEquals(3, end.exitCode(), end.toString());
        assertEquals("exit code 3", end.error());
    }

    private List<Job> run(Throwable failure) {
        return run(new FailingVmm(failure));
    }

    private List<Job> run(Vmm vmm) {
        JobsConfig config = new JobsConfig(dir.resolve("jobs"), dir.resolve("image"), VmSpec.Accel.TCG,
                Duration.ofSeconds(30), Duration.ofSeconds(1), 4, 4096, false, JobsConfig.DEFAULT_CONSOLE_MAX_BYTES);
        Job job = new Job(7, Job.KIND_LOCAL, "hostile", JobState.QUEUED.wire(), List.of("0000:01:00.0"), false, "failing", "tcg",
                1, 256, 60, Instant.now(), null, null, null, 0, null, null, null, null, null, null);
        JobValidator.Valid request = new JobValidator.Valid("hostile", "true", 1, List.of("0000:01:00.0"), 1, 256, 60,
                Map.of(), Map.of("TOKEN", "secret"), false);
        List<Job> updates = new CopyOnWriteArrayList<>();
        // As a daemon that is not root runs its VMMs: the failure, not the confinement, is under test.
        VmmSandbox unconfined = new VmmSandbox(false, null, null, new Cgroups.Disabled("not root"), dir, dir);
        new JobRun(job, request, null, config, vmm, unconfined, List.of(), updates::add,
                sample -> { }, null, log -> { }, null, () -> org.rigdesk.api.wire.Settings.DEFAULTS).run();
        return updates;
    }

    @Test
    void anErrorInTheJobsThreadEndsTheJobWithTheReasonAndRemovesItsDisks() {
        List<Job> updates = run(new OutOfMemoryError("Java heap space"));
        Job end = updates.get(updates.size() - 1);
        assertEquals(JobState.FAILED.wire(), end.state());
        assertEquals("internal error: java.lang.OutOfMemoryError: Java heap space", end.error());
        assertTrue(end.finished());
        Path jobDir = dir.resolve("jobs").resolve("7");
        assertFalse(Files.exists(jobDir.resolve("vm")), "the VMM's directory (disks, config disk with the secret) is gone");
    }

    @Test
    void aRuntimeFailureEndsItTheSameWay() {
        List<Job> updates = run(new IllegalStateException("a bug"));
        assertEquals(List.of(JobState.BOOTING.wire(), JobState.FAILED.wire()), updates.stream().map(Job::state).toList());
        assertEquals("internal error: java.lang.IllegalStateException: a bug", updates.get(1).error());
    }
}
