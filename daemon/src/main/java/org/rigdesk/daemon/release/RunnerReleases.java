package org.rigdesk.daemon.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.rigdesk.api.wire.Json;
import org.rigdesk.api.wire.ProblemCode;
import org.rigdesk.api.wire.RunnerRelease;
import org.rigdesk.daemon.host.FileTrees;
import org.rigdesk.daemon.host.CommandRunner;
import org.rigdesk.daemon.problems.DomainException;
import org.rigdesk.daemon.store.AuditStore;

/**
 * The GitHub Actions runner the host keeps for its runner VMs, so that no image carries one and
 * none goes stale: the newest release is read at start and then every day, downloaded (redirects
 * followed, no credentials sent), its SHA-256 checked against GitHub's, unpacked and laid into a
 * small ext4 image ({@code runner.ext4}, label {@code rigdesk-runner}) that every runner VM gets
 * read-only. The current and the previous release are kept under {@code STATE/runner-releases/VERSION};
 * a new one becomes current only once it is whole, so a slot that boots during a download takes the
 * previous one. A tarball whose hash is wrong is refused, said and audited, and the old one stays.
 */
public final class RunnerReleases implements RunnerSupply, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RunnerReleases.class.getName());
    private static final String ACTOR = "rigdeskd";
    /** GitHub gives no jobs to a runner release older than this once a newer one is out. */
    public static final Duration MAX_AGE = Duration.ofDays(30);
    /** A runner tarball is about 200 MB; anything past this is not one. */
    static final long MAX_TARBALL_BYTES = 1L << 30;
    private static final String REMEDY = "Let the daemon reach the release source, or hand it a tarball: "
            + "rigdesk runner use-tarball actions-runner-linux-x64-VERSION.tar.gz";

    /** A release kept on disk: its image, and whether its hash was checked. */
    public record Kept(RunnerVersion version, Instant publishedAt, String source, String sha256, boolean verified,
                       Instant keptAt, Path disk) {
    }

    /** What {@code release.json} holds beside the image. */
    record Manifest(String version, Instant publishedAt, String source, String sha256, boolean verified, Instant keptAt) {
    }

    private final Path dir;
    private final OkHttpClient http;
    private final AuditStore audit;
    private final Clock clock;
    private final Object lock = new Object();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "runner-release");
        t.setDaemon(true);
        return t;
    });
    private volatile List<Kept> kept;
    private volatile ReleaseFeed feed;
    private volatile String noFeedReason = "nothing is registered yet";
    private volatile ReleaseFeed.Release latest;
    private volatile Instant latestAt;
    private volatile String problem;
    private volatile String downloading;
    private volatile String refusedSha;

    public RunnerReleases(Path stateDir, OkHttpClient http, AuditStore audit, Clock clock) throws IOException {
        this.dir = stateDir.resolve("runner-releases");
        this.http = http.newBuilder().readTimeout(Duration.ofSeconds(60)).callTimeout(Duration.ofMinutes(30))
                .followRedirects(true).followSslRedirects(true).build();
        this.audit = audit;
        this.clock = clock;
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        // Others pass through to each runner.ext4 (the VMM's own uid reads it), and list nothing.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        try (Stream<Path> leftovers = Files.list(dir)) {
            for (Path left : leftovers.filter(p -> p.getFileName().toString().startsWith(".incoming")).toList()) {
                FileTrees.delete(left); // a daemon killed mid-download or mid-unpack
            }
        }
        this.kept = scan();
    }

    /** Checks now and then every {@code every}; does nothing while no source is set. */
    public void start(Duration every) {
        thread.scheduleWithFixedDelay(this::checkQuietly, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Where releases come from: a registration's API on github.com, or the release source a GHES
     * owner set; null with the reason when there is none (a tarball can still be handed over).
     */
    public void useFeed(ReleaseFeed next, String reasonWhenNone) {
        ReleaseFeed before = feed;
        feed = next;
        noFeedReason = reasonWhenNone;
        if (next != null && (before == null || !before.apiBase().equals(next.apiBase()))) {
            latest = null;
            problem = null;
            thread.execute(this::checkQuietly);
        }
    }

    /** The newest release kept, whose image a runner VM gets. */
    public Optional<Kept> current() {
        List<Kept> all = kept;
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    @Override
    public Path disk() {
        return current().map(Kept::disk).orElse(null);
    }

    /** Why no runner VM can start, or null when one can. */
    @Override
    public String unusable() {
        if (current().isPresent()) {
            return null;
        }
        String why = problem != null ? problem : downloading != null ? "downloading actions runner " + downloading
                : feed == null ? "no release source (" + noFeedReason + ")" : "reading actions/runner's releases";
        return "no actions runner yet: " + why;
    }

    /**
     * Refuses a registration whose runner GitHub would refuse: nothing kept and the newest release
     * older than {@link RunnerVersion#MINIMUM}. A release source that cannot be read refuses
     * nothing (the slots wait, and say why).
     */
    public void checkRegistrable(ReleaseFeed candidate) {
        if (current().isPresent() || candidate == null) {
            return;
        }
        try {
            ReleaseFeed.Release newest = candidate.latest();
            if (newest.version().olderThan(RunnerVersion.MINIMUM)) {
                throw DomainException.refused(ProblemCode.RUNNER_TOO_OLD, "The actions runner is too old",
                        "the newest actions runner at " + candidate.apiBase() + " is " + newest.version()
                                + "; GitHub refuses to register runners older than " + RunnerVersion.MINIMUM
                                + " (enforced since 2026-09-25)", REMEDY);
            }
        } catch (IOException e) {
            LOG.info("cannot read the runner release before registering: " + e.getMessage());
        }
    }

    public RunnerRelease status() {
        Optional<Kept> now = current();
        ReleaseFeed.Release newest = latest;
        if (now.isEmpty()) {
            // While the first download runs there is nothing to do but wait; otherwise say what would help.
            return new RunnerRelease(null, null, null, RunnerRelease.MISSING,
                    unusable() + (downloading != null ? "" : ". " + REMEDY));
        }
        Kept k = now.get();
        Instant published = k.publishedAt() != null ? k.publishedAt() : k.keptAt();
        long days = Duration.between(published, clock.instant()).toDays();
        if (newest != null && k.version().olderThan(newest.version())) {
            String why = downloading != null ? "downloading it now" : problem != null ? problem : "it comes with the next check";
            String deadline = newest.publishedAt() == null ? ""
                    : "; GitHub stops giving jobs to v" + k.version() + " on " + newest.publishedAt().plus(MAX_AGE)
                    .toString().substring(0, 10);
            return new RunnerRelease(k.version().toString(), k.publishedAt(), k.source(), RunnerRelease.OUTDATED,
                    "v" + newest.version() + " is out (" + why + "); runner VMs get v" + k.version()
                            + " until then" + deadline);
        }
        boolean checked = newest != null && latestAt != null;
        if (!checked && days > MAX_AGE.toDays()) {
            return new RunnerRelease(k.version().toString(), k.publishedAt(), k.source(), RunnerRelease.OUTDATED,
                    "v" + k.version() + " is " + days + " days old and no newer one can be had ("
                            + (problem != null ? problem : feed == null ? "no release source: " + noFeedReason
                            : "not checked yet") + "): GitHub gives no jobs to a runner more than 30 days behind "
                            + "its newest release. " + REMEDY);
        }
        if (!k.verified()) {
            return new RunnerRelease(k.version().toString(), k.publishedAt(), k.source(), RunnerRelease.UNVERIFIED,
                    "kept from " + k.source() + " without a SHA-256 to check it against (give --sha256 to check one)");
        }
        String detail = checked ? "the newest release; checked " + latestAt
                : problem != null ? "not checked: " + problem : feed == null ? "not checked: " + noFeedReason
                : "checking";
        return new RunnerRelease(k.version().toString(), k.publishedAt(), k.source(), RunnerRelease.CURRENT, detail);
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warning("runner release check: " + e);
        }
    }

    /** Reads the newest release and, when it is newer than what is kept, downloads and keeps it. */
    public void check() {
        ReleaseFeed source = feed;
        if (source == null) {
            return;
        }
        synchronized (lock) {
            ReleaseFeed.Release newest;
            try {
                newest = source.latest();
            } catch (IOException e) {
                problem = "cannot read the newest release from " + source.apiBase() + ": " + e.getMessage();
                LOG.info(problem);
                return;
            }
            latest = newest;
            latestAt = clock.instant();
            Optional<Kept> now = current();
            if (now.isPresent() && !now.get().version().olderThan(newest.version())) {
                problem = null;
                return;
            }
            if (newest.version().olderThan(RunnerVersion.MINIMUM)) {
                problem = "the newest release, " + newest.version() + ", is older than GitHub accepts ("
                        + RunnerVersion.MINIMUM + ")";
                return;
            }
            if (newest.sha256() != null && newest.sha256().equals(refusedSha)) {
                return; // refused before, audited then; a release whose hash changes is tried again
            }
            downloading = newest.version().toString();
            try {
                download(newest);
                problem = null;
            } catch (DomainException e) {
                problem = e.detail();
            } catch (IOException e) {
                problem = "downloading v" + newest.version() + " failed: " + e.getMessage();
                audit.record(ACTOR, "runner.release", newest.version().toString(), "failed", problem);
                LOG.warning(problem);
            } finally {
                downloading = null;
            }
        }
    }

    private void download(ReleaseFeed.Release release) throws IOException {
        Path incoming = incoming();
        try {
            Path tarball = incoming.resolve("runner.tar.gz");
            String sha;
            Request request = new Request.Builder().url(release.downloadUrl()).get().build();
            try (Response response = http.newCall(request).execute()) {
                if (!response.isSuccessful()) {
                    throw new IOException(response.request().url().host() + " answered " + response.code()
                            + " for " + release.downloadUrl());
                }
                try (InputStream in = response.body().byteStream()) {
                    sha = save(in, tarball);
                }
            }
            if (release.sha256() != null && !release.sha256().equals(sha)) {
                refusedSha = release.sha256();
                String detail = "the download of actions runner v" + release.version() + " has SHA-256 " + sha
                        + ", not GitHub's " + release.sha256() + ": refused, v"
                        + current().map(k -> k.version().toString() + " stays in use").orElse("none kept");
                audit.record(ACTOR, "runner.release", release.version().toString(), "refused", detail);
                LOG.warning(detail);
                throw DomainException.refused(ProblemCode.RUNNER_HASH_MISMATCH, "Runner tarball refused", detail, null);
            }
            install(incoming, tarball, release.version(), release.publishedAt(), release.downloadUrl(), sha,
                    release.sha256() != null);
            audit.record(ACTOR, "runner.release", release.version().toString(), "ok",
                    "downloaded and checked (SHA-256 " + (release.sha256() != null ? sha : "not published: unverified") + ")");
        } finally {
            FileTrees.delete(incoming);
        }
    }

    /**
     * {@code rigdesk runner use-tarball}: a tarball the owner hands over, for hosts that cannot
     * download. {@code version} null: from the file's name. {@code sha256} null: kept unverified.
     */
    public RunnerRelease useTarball(InputStream body, String fileName, String version, String sha256, String caller)
            throws IOException {
        RunnerVersion wanted;
        try {
            wanted = version != null ? RunnerVersion.parse(version) : RunnerVersion.ofAsset(fileName);
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid(e.getMessage());
        }
        if (wanted == null) {
            throw DomainException.invalid("cannot tell the runner's version from the name '" + shown(fileName)
                    + "': give it (--version 2.331.0), or keep GitHub's name actions-runner-linux-x64-VERSION.tar.gz");
        }
        String expected = sha256 == null ? null : sha256.strip().toLowerCase(Locale.ROOT);
        if (expected != null && !expected.matches("[0-9a-f]{64}")) {
            throw DomainException.invalid("sha256 is 64 hexadecimal digits, got '" + shown(sha256) + "'");
        }
        if (wanted.olderThan(RunnerVersion.MINIMUM)) {
            throw DomainException.refused(ProblemCode.RUNNER_TOO_OLD, "The actions runner is too old",
                    "actions runner " + wanted + " is older than " + RunnerVersion.MINIMUM
                            + ", the oldest GitHub lets register (enforced since 2026-09-25)",
                    "Use a current release from https://github.com/actions/runner/releases");
        }
        synchronized (lock) {
            Path incoming = incoming();
            try {
                Path tarball = incoming.resolve("runner.tar.gz");
                String sha = save(body, tarball);
                if (expected != null && !expected.equals(sha)) {
                    String detail = shown(fileName) + " has SHA-256 " + sha + ", not " + expected;
                    audit.record(caller, "runner.release", wanted.toString(), "refused", detail);
                    throw DomainException.refused(ProblemCode.RUNNER_HASH_MISMATCH, "Runner tarball refused", detail,
                            "Check the file and the hash (the release page lists it).");
                }
                install(incoming, tarball, wanted, null, "file " + shown(fileName), sha, expected != null);
                audit.record(caller, "runner.release", wanted.toString(), "ok", "from " + shown(fileName)
                        + (expected != null ? ", SHA-256 checked" : ", unverified (no SHA-256 given)"));
            } finally {
                FileTrees.delete(incoming);
            }
        }
        return status();
    }

    private static String shown(String text) {
        return text == null ? "" : DomainException.shorten(text);
    }

    private Path incoming() throws IOException {
        return Files.createTempDirectory(dir, ".incoming-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
    }

    /** Writes the stream to {@code target}, at most {@link #MAX_TARBALL_BYTES}; returns its SHA-256 in hex. */
    private static String save(InputStream in, Path target) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long total = 0;
        byte[] buffer = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(target)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > MAX_TARBALL_BYTES) {
                    throw DomainException.invalid("a runner tarball is about 200 MB; this one passed "
                            + (MAX_TARBALL_BYTES >> 20) + " MiB: refused");
                }
                sha.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Unpacks the tarball and lays it into {@code runner.ext4}; then it is current, and older ones go but one. */
    private void install(Path incoming, Path tarball, RunnerVersion version, Instant published, String source,
                         String sha, boolean verified) throws IOException {
        Path tree = incoming.resolve("tree");
        Files.createDirectory(tree);
        try {
            CommandRunner.run(List.of("tar", "-xzf", tarball.toString(), "-C", tree.toString(), "--no-same-owner",
                    "--no-same-permissions", "--delay-directory-restore"), Duration.ofMinutes(5));
        } catch (IOException e) {
            throw DomainException.invalid(ProblemCode.BAD_RUNNER_TARBALL, "Not a runner tarball",
                    "cannot unpack it: " + e.getMessage(), "Give actions-runner-linux-x64-VERSION.tar.gz as released.");
        }
        if (!Files.isRegularFile(tree.resolve("run.sh"))) {
            throw DomainException.invalid(ProblemCode.BAD_RUNNER_TARBALL, "Not a runner tarball",
                    "it has no run.sh at its top", "Give actions-runner-linux-x64-VERSION.tar.gz as released.");
        }
        Files.writeString(tree.resolve(".rigdesk-runner-version"), version + "\n");
        long bytes = treeBytes(tree);
        // Room for the files' blocks and inodes; the VM writes nothing here (an overlay takes its writes).
        long kib = Math.max(8 * 1024, bytes / 1024 * 5 / 4 + 16 * 1024);
        Path disk = incoming.resolve("runner.ext4");
        CommandRunner.run(List.of("mke2fs", "-q", "-F", "-t", "ext4", "-O", "^has_journal,^metadata_csum",
                "-L", "rigdesk-runner", "-E", "root_owner=0:0", "-d", tree.toString(), disk.toString(), kib + "k"),
                Duration.ofMinutes(5));
        Files.setPosixFilePermissions(disk, PosixFilePermissions.fromString("rw-r--r--"));
        FileTrees.delete(tree);
        Files.delete(tarball);
        Manifest manifest = new Manifest(version.toString(), published, source, sha, verified, clock.instant());
        Files.write(incoming.resolve("release.json"), Json.mapper().writeValueAsBytes(manifest));
        Files.setPosixFilePermissions(incoming, PosixFilePermissions.fromString("rwx--x--x"));
        Path target = dir.resolve(version.toString());
        if (Files.exists(target)) {
            Path old = dir.resolve(".incoming-old-" + version);
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            FileTrees.delete(old); // a running VM keeps the image it opened
        }
        Files.move(incoming, target, StandardCopyOption.ATOMIC_MOVE); // the caller's clean-up then finds nothing
        kept = scan();
        prune();
        LOG.info("actions runner " + version + " kept (" + (bytes >> 20) + " MiB unpacked) from " + source);
    }

    /** Keeps the current release and the one before it. */
    private void prune() throws IOException {
        List<Kept> all = kept;
        for (Kept old : all.subList(Math.min(2, all.size()), all.size())) {
            FileTrees.delete(old.disk().getParent());
        }
        kept = scan();
    }

    private List<Kept> scan() throws IOException {
        List<Kept> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                Path manifest = entry.resolve("release.json");
                Path disk = entry.resolve("runner.ext4");
                if (!Files.isRegularFile(manifest) || !Files.isRegularFile(disk)) {
                    continue;
                }
                try {
                    Manifest m = Json.mapper().readValue(manifest.toFile(), Manifest.class);
                    found.add(new Kept(RunnerVersion.parse(m.version()), m.publishedAt(), m.source(), m.sha256(),
                            m.verified(), m.keptAt(), disk));
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    LOG.warning("ignoring " + entry + ": " + e.getMessage());
                }
            }
        }
        found.sort(Comparator.comparing(Kept::version).reversed());
        return List.copyOf(found);
    }

    /** The files' bytes plus a block for each entry, in one walk. */
    private static long treeBytes(Path tree) throws IOException {
        try (Stream<Path> entries = Files.walk(tree)) {
            return entries.mapToLong(p -> {
                try {
                    return 4096L + (Files.isRegularFile(p) ? Files.size(p) : 0);
                } catch (IOException e) {
                    return 4096L;
                }
            }).sum();
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
