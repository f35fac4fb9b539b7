package org.rigdesk.daemon.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.rigdesk.api.wire.CacheInfo;
import org.rigdesk.api.wire.ProblemCode;
import org.rigdesk.daemon.host.CommandRunner;
import org.rigdesk.daemon.host.DiskUsage;
import org.rigdesk.daemon.host.FileTrees;
import org.rigdesk.daemon.problems.DomainException;
import org.rigdesk.daemon.store.AuditStore;
import org.rigdesk.daemon.store.Database;

/**
 * Persistent caches that a job reads and, when trusted, changes for the next job. Each is one ext4
 * filesystem in a qcow2 image per generation ({@code caches/NAME/gen-G.qcow2}, root and the cache's
 * own group, 0640), never changed once written; a job gets a copy-on-write layer over the current
 * generation as a further disk, and its VMM the cache's group to read the image through. After a
 * trusted job that succeeded the layer is merged: flattened (its backing named by us, never taken
 * from its header) into the next generation, synced, and renamed into place, one merge per cache at
 * a time (a crash leaves the old generation whole and a stray {@code .next} file, removed at
 * start). A layer made from a generation that is no longer current is not merged: another job
 * committed first, and laying this one's blocks over that one's would mix two filesystems.
 * Otherwise the layer is thrown away. Whole caches not in use are evicted least-recently-used when
 * the state disk runs low.
 */
public class Caches {

    private static final Logger LOG = Logger.getLogger(Caches.class.getName());
    public static final long DEFAULT_CAP_BYTES = 50_000_000_000L;
    public static final long MIN_CAP_BYTES = 16L << 20;
    /** The one image of caches made before generations: it becomes generation 1. */
    private static final String LEGACY = "cache.qcow2";
    private static final String NEXT = ".next";
    /** A job's use of a cache: the generation its layer starts from, and whether it may become the cache. */
    public record Use(String name, long jobId, int gid, boolean write, long generation) {
    }

    /** A layer that is not merged, for a reason that is not a failure of ours. */
    static final class NotMerged extends Exception {
        NotMerged(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The tools, the merge's debug pause (fault tests) and when the state disk counts as low. */
    public record Config(String qemuImg, String mke2fs, long minFreeBytes, boolean pauseInMerge) {
    }

    private final Path dir;
    private final CacheStore store;
    private final AuditStore audit;
    private final Config config;
    /** Per cache, the jobs using it and the generation each started from. */
    private final Map<String, Map<Long, Long>> inUse = new HashMap<>();
    /** Per cache, its current generation (the highest {@code gen-G.qcow2} on disk). */
    private final Map<String, Long> generations = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Object> mergeLocks = new HashMap<>();
    /** One eviction at a time; taken before any cache's lock, never while one is held. */
    private final Object evictions = new Object();

    public Caches(Path dir, Database database, AuditStore audit, Config config, Clock clock) throws IOException {
        this.dir = dir;
        this.store = new CacheStore(database, clock);
        this.audit = audit;
        this.config = config;
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        recover();
    }

    /** A cache name as jobs give it; bad ones are refused before anything is made. */
    public static String check(String name) {
        if (name == null || !CacheInfo.NAME.matcher(name).matches()) {
            throw DomainException.invalid("cache must be 1-64 of a-z 0-9 . _ -, starting with a letter or digit, got '"
                    + (name == null ? "" : name.replaceAll("\\p{Cntrl}", "?")) + "'");
        }
        return name;
    }

    /**
     * Each cache's current generation from its files: leftovers of a merge a crash cut short go
     * (the old generation stands), older generations too (no job runs at start), and an image from
     * before generations becomes generation 1.
     */
    private void recover() throws IOException {
        try (var names = Files.list(dir)) {
            for (Path cache : names.filter(Files::isDirectory).toList()) {
                String name = cache.getFileName().toString();
                Path legacy = cache.resolve(LEGACY);
                if (Files.exists(legacy, LinkOption.NOFOLLOW_LINKS) && generationOnDisk(cache) < 0) {
                    Files.move(legacy, generationFile(cache, 1), StandardCopyOption.ATOMIC_MOVE);
                }
                try (var files = Files.list(cache)) {
                    for (Path file : files.toList()) {
                        if (file.getFileName().toString().endsWith(NEXT)) {
                            Files.delete(file);
                            LOG.warning("removed a merge cut short in " + cache + ": the cache is as it was before it");
                        }
                    }
                }
                long generation = generationOnDisk(cache);
                if (generation >= 0) {
                    generations.put(name, generation);
                    removeOlderThan(name, generation);
                }
            }
        }
    }

    /** The highest generation whose image is whole in {@code cache}, or -1. */
    private static long generationOnDisk(Path cache) throws IOException {
        return generationsIn(cache).keySet().stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    /** The whole generations' images in {@code cache}, by generation. */
    private static Map<Long, Path> generationsIn(Path cache) throws IOException {
        Map<Long, Path> found = new HashMap<>();
        try (var files = Files.list(cache)) {
            for (Path file : files.toList()) {
                String base = file.getFileName().toString();
                if (base.matches("gen-\\d{1,18}\\.qcow2")) {
                    found.put(Long.parseLong(base.substring(4, base.length() - 6)), file);
                }
            }
        }
        return found;
    }

    private static Path generationFile(Path cache, long generation) {
        return cache.resolve("gen-" + generation + ".qcow2");
    }

    /** The cache's current image. */
    private Path image(String name) {
        return generationFile(dir.resolve(name), generations.getOrDefault(name, 0L)).toAbsolutePath();
    }

    /** Removes the generations below {@code keep} that no running job's layer starts from. */
    private void removeOlderThan(String name, long keep) {
        Set<Long> needed;
        synchronized (inUse) {
            needed = new java.util.HashSet<>(inUse.getOrDefault(name, Map.of()).values());
        }
        try {
            for (Map.Entry<Long, Path> generation : generationsIn(dir.resolve(name)).entrySet()) {
                if (generation.getKey() < keep && !needed.contains(generation.getKey())) {
                    Files.deleteIfExists(generation.getValue());
                }
            }
        } catch (IOException e) {
            LOG.warning("cannot remove old generations of cache " + name + ": " + e.getMessage());
        }
    }

    /** Takes the cache for a job (making it on first use): its group's id goes to the job's VMM. */
    public Use open(String name, long jobId, boolean write) throws IOException {
        check(name);
        // Room first, outside any cache's lock: eviction takes the locks of the caches it removes.
        evictQuietly(name);
        int gid;
        long generation;
        synchronized (lockOf(name)) {
            gid = ensure(name, DEFAULT_CAP_BYTES);
            generation = generations.getOrDefault(name, 0L);
            // Under the cache's lock, so an eviction that takes it next sees the job, and a merge
            // the generation it started from.
            synchronized (inUse) {
                inUse.computeIfAbsent(name, k -> new java.util.LinkedHashMap<>()).put(jobId, generation);
            }
        }
        store.touch(name);
        store.record(jobId, name, "running", null);
        // A hit: the job starts on what an earlier job kept (a cold cache has no commit yet).
        store.update("UPDATE cache_uses SET warm = ? WHERE job_id = ?", store.lastCommitOf(name).isPresent() ? 1 : 0, jobId);
        return new Use(name, jobId, gid, write, generation);
    }

    /**
     * A job's writable view of the cache: a qcow2 layer backed by its generation's image (QEMU), or
     * a sparse raw copy of it (cloud-hypervisor, Firecracker); either is merged back the same way.
     */
    public record Layer(Path path, String format, long startBytes, Path base) {
    }

    /** Makes the job's layer at {@code path}: see {@link Layer}. The copy's time grows with the cache's data. */
    public Layer layer(Use use, Path path, boolean qcow2) throws IOException {
        // Backed by the generation's own file, which no merge renames over or changes.
        Path image = generationFile(dir.resolve(use.name()), use.generation()).toAbsolutePath();
        if (qcow2) {
            CommandRunner.run(List.of(config.qemuImg(), "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b",
                    image.toString(), path.toString()), Duration.ofSeconds(30));
            return new Layer(path, "qcow2", allocated(path), image);
        }
        CommandRunner.run(List.of(config.qemuImg(), "convert", "-q", "-f", "qcow2", "-O", "raw", image.toString(),
                path.toString()), Duration.ofHours(1));
        return new Layer(path, "raw", allocated(path), null);
    }

    /**
     * The job is over: its layer is merged into the cache when {@code commit}, else thrown away.
     * Returns a line for the job's log. The caller has given the job's directory back to root and
     * no process of the VMM's is left: nothing here can be swapped under root's feet.
     */
    public String close(Use use, Layer layer, boolean commit, String reason) {
        try {
            noteWritten(use, layer);
            if (commit && layer != null) {
                LayerCheck.verify(layer.path(), layer.format());
                long started = System.nanoTime();
                merge(use, layer);
                long took = (System.nanoTime() - started) / 1_000_000;
                store.record(use.jobId(), use.name(), "committed", reason);
                audit.record("rigdeskd", "cache.commit", use.name(), "ok", "job " + use.jobId() + " (" + took + " ms)");
                return "rigdesk: cache " + use.name() + ": this job's changes are kept for the next job (merged in "
                        + took + " ms)";
            }
            store.record(use.jobId(), use.name(), "discarded", reason);
            return "rigdesk: cache " + use.name() + ": this job's changes were thrown away (" + reason + ")";
        } catch (NotMerged e) {
            store.record(use.jobId(), use.name(), "discarded", e.getMessage());
            audit.record("rigdeskd", "cache.commit", use.name(), "refused", "job " + use.jobId() + ": " + e.getMessage());
            return "rigdesk: cache " + use.name() + ": " + e.getMessage() + "; this job's changes were thrown away";
        } catch (IOException e) {
            store.record(use.jobId(), use.name(), "discarded", "the merge failed: " + e.getMessage());
            audit.record("rigdeskd", "cache.commit", use.name(), "failed", e.getMessage());
            LOG.warning("cache " + use.name() + ": merging job " + use.jobId() + " failed, the cache is as it was: "
                    + e.getMessage());
            return "rigdesk: cache " + use.name() + ": the merge failed, the cache is as it was: " + e.getMessage();
        } finally {
            try {
                if (layer != null) {
                    Files.deleteIfExists(layer.path());
                }
            } catch (IOException e) {
                LOG.warning("cannot remove " + layer.path() + ": " + e.getMessage());
            }
            synchronized (lockOf(use.name())) {
                synchronized (inUse) {
                    Map<Long, Long> jobs = inUse.get(use.name());
                    if (jobs != null) {
                        jobs.remove(use.jobId());
                    }
                }
                removeOlderThan(use.name(), generations.getOrDefault(use.name(), 0L));
            }
            store.touch(use.name());
            if (commit) {
                // A merge that grew this cache may leave the disk low: older caches make room (outside
                // this cache's lock, so two merges never wait on each other's).
                evictQuietly(use.name());
            }
        }
    }

    private void evictQuietly(String keep) {
        try {
            evictIfLow(keep);
        } catch (IOException | RuntimeException e) {
            LOG.warning("cannot make room on the state disk: " + e.getMessage());
        }
    }

    /**
     * What the job wrote into its layer (blocks it allocated beyond the start): near nothing when
     * the cache held what it needed, the whole download when it did not.
     */
    private void noteWritten(Use use, Layer layer) {
        if (layer != null && Files.exists(layer.path(), LinkOption.NOFOLLOW_LINKS)) {
            store.update("UPDATE cache_uses SET written_bytes = ? WHERE job_id = ?",
                    Math.max(0, allocated(layer.path()) - layer.startBytes()), use.jobId());
        }
    }

    /**
     * Flattens the job's generation and its layer into the next generation, syncs it, and renames
     * it into place; refused when another job committed since this one's generation.
     */
    private void merge(Use use, Layer layer) throws IOException, NotMerged {
        synchronized (lockOf(use.name())) {
            long current = generations.getOrDefault(use.name(), 0L);
            if (current != use.generation()) {
                Number by = store.lastCommitOf(use.name()).orElse(null);
                throw new NotMerged("another job committed first" + (by == null ? "" : " (job " + by + ")"));
            }
            Path cache = dir.resolve(use.name());
            Path done = generationFile(cache, current + 1);
            Path next = cache.resolve(done.getFileName() + NEXT);
            Files.deleteIfExists(next);
            // The format is named, never probed (a raw layer holds whatever the guest wrote), and a
            // qcow2 layer's backing file is ours, never the one its header names.
            List<String> source = layer.base() == null ? List.of("-f", layer.format(), layer.path().toString())
                    : List.of("--image-opts", "driver=qcow2,file.driver=file,file.filename=" + option(layer.path())
                            + ",backing.driver=qcow2,backing.file.driver=file,backing.file.filename=" + option(layer.base()));
            List<String> convert = new ArrayList<>(List.of(config.qemuImg(), "convert", "-q"));
            convert.addAll(source);
            convert.addAll(List.of("-O", "qcow2", next.toString()));
            CommandRunner.run(convert, Duration.ofHours(2));
            try (FileChannel file = FileChannel.open(next, StandardOpenOption.WRITE)) {
                file.force(true);
            }
            restrict(next, use.gid());
            if (config.pauseInMerge()) {
                LOG.info("debug: merge paused before the rename (" + next + ")");
                try {
                    Thread.sleep(600_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
            Files.move(next, done, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel directory = FileChannel.open(cache, StandardOpenOption.READ)) {
                directory.force(true);
            }
            generations.put(use.name(), current + 1);
            store.updateCommit(use.name(), use.jobId());
        }
    }

    /** A path as a value in QEMU's option syntax, where a comma is written twice. */
    private static String option(Path path) {
        return path.toAbsolutePath().toString().replace(",", ",,");
    }

    /** Makes the cache's empty image on first use: an ext4 filesystem of {@code capBytes} (the cap), sparse. */
    private int ensure(String name, long capBytes) throws IOException {
        Optional<Integer> known = store.gidOf(name);
        Path cache = dir.resolve(name);
        if (known.isPresent() && Files.exists(image(name))) {
            return known.get();
        }
        int gid = known.orElseGet(() -> store.allocateGid(name, capBytes));
        Files.createDirectories(cache);
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx--x--x"));
        Path raw = cache.resolve("cache.raw");
        Files.deleteIfExists(raw);
        long cap = store.capOf(name).orElse(capBytes);
        try {
            CommandRunner.run(List.of(config.mke2fs(), "-q", "-F", "-t", "ext4", "-O", "^metadata_csum", "-m", "0",
                    "-E", "lazy_itable_init=1,lazy_journal_init=1", "-L", "rigdesk-cache", raw.toString(),
                    (cap / 1024) + "k"), Duration.ofMinutes(2));
            Path first = generationFile(cache, 0);
            Path next = cache.resolve(first.getFileName() + NEXT);
            CommandRunner.run(List.of(config.qemuImg(), "convert", "-q", "-f", "raw", "-O", "qcow2", raw.toString(),
                    next.toString()), Duration.ofMinutes(5));
            restrict(next, gid);
            Files.move(next, first, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            generations.put(name, 0L);
        } finally {
            Files.deleteIfExists(raw);
        }
        audit.record("rigdeskd", "cache.create", name, "ok", "cap " + cap + " bytes");
        return gid;
    }

    /** Root and the cache's group may read it; nobody else. */
    private static void restrict(Path image, int gid) throws IOException {
        Files.setAttribute(image, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        Files.setPosixFilePermissions(image, PosixFilePermissions.fromString("rw-r-----"));
    }

    /** {@code PUT /v1/caches/{name}}: a new, empty cache with this cap. An existing one keeps its own. */
    public CacheInfo create(String name, long capBytes, String caller) throws IOException {
        check(name);
        if (capBytes < MIN_CAP_BYTES || capBytes > (16L << 40)) {
            throw DomainException.invalid("capBytes must be between " + MIN_CAP_BYTES + " and " + (16L << 40));
        }
        evictQuietly(name);
        synchronized (lockOf(name)) {
            if (store.gidOf(name).isPresent()) {
                audit.record(caller, "cache.create", name, "refused", "exists");
                throw DomainException.refused(ProblemCode.CACHE_EXISTS, "Cache exists", "cache " + name
                        + " exists with its own cap", "Clear it first (rigdesk cache clear " + name + "), then set the cap.");
            }
            store.allocateGid(name, capBytes);
            ensure(name, capBytes);
        }
        return list().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** {@code DELETE /v1/caches/{name}}: refused while a job uses it. */
    public void clear(String name, String caller) throws IOException {
        check(name);
        synchronized (lockOf(name)) {
            List<Long> users = users(name);
            if (!users.isEmpty()) {
                audit.record(caller, "cache.clear", name, "refused", "in use by " + users);
                throw DomainException.refused(ProblemCode.CACHE_IN_USE, "Cache in use", "cache " + name
                        + " is in use by job" + (users.size() == 1 ? " " : "s ") + users,
                        "Wait for " + (users.size() == 1 ? "it" : "them") + " to finish, or cancel "
                                + (users.size() == 1 ? "it" : "them") + " (rigdesk cancel " + users.get(0) + "), then clear it.");
            }
            if (store.gidOf(name).isEmpty()) {
                throw DomainException.notFound("no cache " + name + "; rigdesk cache ls lists them");
            }
            FileTrees.delete(dir.resolve(name));
            store.forget(name);
            generations.remove(name);
            audit.record(caller, "cache.clear", name, "ok", null);
        }
    }

    private List<Long> users(String name) {
        synchronized (inUse) {
            return List.copyOf(inUse.getOrDefault(name, Map.of()).keySet());
        }
    }

    /** Whole caches not in use, least recently used first, while the state disk has less than it should free. */
    private void evictIfLow(String keep) throws IOException {
        synchronized (evictions) {
            evictLeastRecentlyUsed(keep);
        }
    }

    private void evictLeastRecentlyUsed(String keep) throws IOException {
        for (String name : store.namesByLastUse()) {
            if (Files.getFileStore(dir).getUsableSpace() >= config.minFreeBytes()) {
                return;
            }
            if (name.equals(keep)) {
                continue;
            }
            synchronized (lockOf(name)) {
                if (!users(name).isEmpty()) {
                    continue;
                }
                FileTrees.delete(dir.resolve(name));
                store.forget(name);
                generations.remove(name);
            }
            audit.record("rigdeskd", "cache.evict", name, "ok", "the state disk was low on space");
            LOG.warning("evicted cache " + name + ": the state disk was low on space");
        }
    }

    public List<CacheInfo> list() {
        return store.all().stream().map(row -> new CacheInfo(row.name(), size(row.name()), row.capBytes(),
                row.lastUsed(), row.lastCommit(), row.lastCommitJob(), users(row.name()), row.recent())).toList();
    }

    /** Bytes the committed image takes on the state disk (its allocated blocks, not its apparent size). */
    private long size(String name) {
        return allocated(image(name));
    }

    /** A sparse file's allocated bytes; its size when they cannot be read, 0 when it is gone. */
    private static long allocated(Path file) {
        if (!Files.exists(file)) {
            return 0;
        }
        return DiskUsage.allocated(file).orElseGet(() -> {
            try {
                return Files.size(file);
            } catch (IOException gone) {
                return 0;
            }
        });
    }

    private Object lockOf(String name) {
        synchronized (mergeLocks) {
            return mergeLocks.computeIfAbsent(name, k -> new Object());
        }
    }
}
