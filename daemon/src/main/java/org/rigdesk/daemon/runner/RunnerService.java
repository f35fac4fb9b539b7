package org.rigdesk.daemon.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import okhttp3.OkHttpClient;
import org.rigdesk.api.wire.Json;
import org.rigdesk.api.wire.ProblemCode;
import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.api.wire.RunnerTestJob;
import org.rigdesk.daemon.github.AppInstallationAuth;
import org.rigdesk.daemon.github.AppKeys;
import org.rigdesk.daemon.github.GitHubApi;
import org.rigdesk.daemon.github.GitHubAuth;
import org.rigdesk.daemon.github.HostTrust;
import org.rigdesk.daemon.release.ReleaseFeed;
import org.rigdesk.daemon.release.RunnerReleases;
import org.rigdesk.daemon.github.GitHubException;
import org.rigdesk.daemon.github.RunnerScope;
import org.rigdesk.daemon.lending.LendingService;
import org.rigdesk.daemon.network.EgressPolicy;
import org.rigdesk.daemon.problems.DomainException;
import org.rigdesk.daemon.store.AuditStore;
import org.rigdesk.daemon.store.Database;

/**
 * Registration with GitHub: the token is checked by calling GitHub before anything is stored, then
 * kept in a 0600 file (never in SQLite, a log or an answer); the rest of the registration is in
 * SQLite. A registration runs a {@link RunnerPool}. Removing it stops the pool and deletes our
 * runners (by this host's name prefix) from GitHub, busy ones excepted.
 */
public class RunnerService {

    private static final Logger LOG = Logger.getLogger(RunnerService.class.getName());
    /** What a fine-grained token needs, said the same way wherever a token is refused. */
    public static final String TOKEN_REMEDY = "Use a token with Administration: write on the repository, or "
            + "Self-hosted runners: write on the organisation; or sign in as a GitHub App (--app-id, --app-key).";
    private static final String APP_REMEDY = "Check the App id (or client id) and its private key, and that the App is "
            + "installed on the repository or organisation with Administration (repository) or Self-hosted runners "
            + "(organisation): read and write, and Actions: read.";

    /**
     * The stored part of a registration (no token); slot sizes null for the host's defaults;
     * {@code egress} and {@code egressAllow} as {@link EgressPolicy} reads them (null: open).
     */
    public record Stored(String url, String apiUrl, List<String> labels, String namePrefix, long runnerGroupId,
                         int gpuSlots, int cpuSlots, Integer slotCpus, Integer slotMemoryMiB, boolean paused,
                         String egress, List<String> egressAllow, Integer queuePollSeconds,
                         List<String> cacheWriteEvents, String appId, Long installationId, String runnerGroup,
                         String gpuSlotJobs, String caCertPem, String runnerReleaseSource) {

        Stored withPaused(boolean now) {
            return new Stored(url, apiUrl, labels, namePrefix, runnerGroupId, gpuSlots, cpuSlots, slotCpus,
                    slotMemoryMiB, now, egress, egressAllow, queuePollSeconds, cacheWriteEvents, appId, installationId,
                    runnerGroup, gpuSlotJobs, caCertPem, runnerReleaseSource);
        }

        Stored withGroup(long id, String name, Long installation) {
            return new Stored(url, apiUrl, labels, namePrefix, id, gpuSlots, cpuSlots, slotCpus, slotMemoryMiB, paused,
                    egress, egressAllow, queuePollSeconds, cacheWriteEvents, appId, installation, name, gpuSlotJobs,
                    caCertPem, runnerReleaseSource);
        }

        /** Which jobs GPU slots take (a registration from before the rule: only GPU jobs). */
        String gpuJobs() {
            return gpuSlotJobs == null ? RunnerRegistration.GPU_JOBS : gpuSlotJobs;
        }

        /** The events whose runs may change the cache (a registration from before caches: the default). */
        List<String> writeEvents() {
            return cacheWriteEvents == null ? RunnerRegistration.DEFAULT_CACHE_WRITE_EVENTS : cacheWriteEvents;
        }
    }

    /** Builds the pool of a registration; the daemon knows the engine, GPUs, host and timings. */
    public interface PoolFactory {
        RunnerPool create(Stored registration, GitHubApi github, String ownedPrefix);

        /** This host's part of runner names, so two hosts sharing a prefix never touch each other's runners. */
        String hostTag();

        /** Whether the job image carries the stand-in runner (test jobs are refused otherwise). */
        boolean testImage();

        /** What slots get when the registration does not say. */
        int defaultGpuSlots();
    }

    private final Database database;
    private final Path tokenFile;
    private final Path appKeyFile;
    private final RunnerReleases releases;
    private final AuditStore audit;
    private final OkHttpClient http;
    private final String userAgent;
    private final PoolFactory pools;
    private volatile GitHubApi api;
    private volatile Stored stored;
    private volatile RunnerPool pool;

    public RunnerService(Database database, Path stateDir, AuditStore audit, OkHttpClient http, String userAgent,
                         PoolFactory pools, RunnerReleases releases) throws SQLException {
        this.database = database;
        this.releases = releases;
        this.tokenFile = stateDir.resolve("runner-token");
        this.appKeyFile = stateDir.resolve("runner-app-key");
        this.audit = audit;
        this.http = http;
        this.userAgent = userAgent;
        this.pools = pools;
        load();
    }

    /** Starts the pool of a registration found at start. */
    public void start() {
        if (stored != null && api != null) {
            useFeed(stored);
        }
        if (stored != null && api != null && pool == null) {
            pool = pools.create(stored, api, ownedPrefix(stored));
            pool.start();
        }
    }

    public RunnerStatus register(RunnerRegistration request, String caller) {
        Stored wanted;
        RunnerScope scope;
        String token = null;
        java.security.PrivateKey key = null;
        try {
            scope = RunnerScope.parse(request.url(), request.apiUrl());
            if (request.app() != null) {
                if (request.token() != null && !request.token().isBlank()) {
                    throw new IllegalArgumentException("give a token or an app, not both");
                }
                key = RegistrationChecks.app(request.app());
            } else {
                token = RegistrationChecks.token(request.token());
            }
            wanted = RegistrationChecks.registration(request, pools.defaultGpuSlots());
        } catch (IllegalArgumentException e) {
            audit.record(caller, "runner.register", request.url() == null ? null : request.url(), "rejected", e.getMessage());
            throw DomainException.invalid(e.getMessage());
        }
        GitHubApi candidate = connect(scope, wanted, token, key);
        try {
            candidate.checkAccess();
            wanted = resolveGroup(candidate, wanted, request);
        } catch (AppInstallationAuth.SignInException e) {
            audit.record(caller, "runner.register", scope.display(), "refused", "GitHub App: " + e.getMessage());
            throw DomainException.invalid(ProblemCode.BAD_APP, "GitHub refused the App", e.getMessage(), APP_REMEDY);
        } catch (GitHubException e) {
            audit.record(caller, "runner.register", scope.display(), "refused", "GitHub " + e.status());
            throw refusal(e, scope);
        } catch (IOException e) {
            audit.record(caller, "runner.register", scope.display(), "failed", e.getMessage());
            throw DomainException.upstream(ProblemCode.GITHUB_UNREACHABLE, "GitHub unreachable",
                    "cannot reach " + scope.apiBase() + ": " + e.getMessage(), "Check the network and the apiUrl.");
        }
        try {
            releases.checkRegistrable(feed(wanted, scope));
        } catch (DomainException e) {
            audit.record(caller, "runner.register", scope.display(), "refused", e.detail());
            throw e;
        }
        stopPool(true);
        try {
            if (key == null) {
                writeSecret(tokenFile, token);
                Files.deleteIfExists(appKeyFile);
            } else {
                writeSecret(appKeyFile, request.app().privateKeyPem());
                Files.deleteIfExists(tokenFile);
            }
            store(wanted);
        } catch (IOException | SQLException e) {
            throw DomainException.failed(ProblemCode.STORE_FAILED, "Cannot store the registration", e.getMessage(),
                    "Check the state directory.");
        }
        api = candidate;
        stored = wanted;
        start();
        audit.record(caller, "runner.register", scope.display(), "ok", "labels " + wanted.labels());
        LOG.info(() -> caller + " registered the runner host for " + scope.display());
        return status();
    }

    private static DomainException refusal(GitHubException e, RunnerScope scope) {
        return switch (e.status()) {
            case 401 -> DomainException.invalid(ProblemCode.BAD_TOKEN, "GitHub refused the token",
                    "GitHub says: " + e.getMessage(), TOKEN_REMEDY);
            case 403 -> DomainException.invalid(ProblemCode.MISSING_PERMISSION, "The token may not manage runners",
                    "GitHub says: " + e.getMessage(), TOKEN_REMEDY);
            case 404 -> DomainException.invalid(ProblemCode.UNKNOWN_SCOPE, "No such repository or organisation",
                    scope.display() + " does not exist, or the token cannot see it", TOKEN_REMEDY);
            default -> DomainException.upstream(ProblemCode.GITHUB_ERROR, "GitHub error", e.getMessage(),
                    e.retryAfter() == null ? "Try again later." : "Try again in " + e.retryAfter().toSeconds() + " s.");
        };
    }

    /** A group named (or numbered) by the owner, resolved against the organisation's list. */
    private Stored resolveGroup(GitHubApi github, Stored wanted, RunnerRegistration request) throws IOException {
        Long installation = github.auth() instanceof AppInstallationAuth app ? app.installationId() : null;
        String asked = request.runnerGroup();
        if (asked == null || asked.isBlank()) {
            return wanted.withGroup(wanted.runnerGroupId(), null, installation);
        }
        List<GitHubApi.RunnerGroup> groups = github.runnerGroups();
        String name = asked.strip();
        for (GitHubApi.RunnerGroup group : groups) {
            if (group.name().equalsIgnoreCase(name) || Long.toString(group.id()).equals(name)) {
                return wanted.withGroup(group.id(), group.name(), installation);
            }
        }
        throw DomainException.invalid(ProblemCode.UNKNOWN_RUNNER_GROUP, "No such runner group",
                github.scope().display() + " has no runner group " + DomainException.quote(name)
                        + (github.scope().isOrganisation() ? "" : " (a repository's runners are in its Default group)"),
                "Groups: " + String.join(", ", groups.stream().map(g -> g.name() + " (" + g.id() + ")").toList()));
    }

    /** A registration's GitHub client: trusting its CA, signed with its token or as its App ({@code key}). */
    private GitHubApi connect(RunnerScope scope, Stored registration, String token, java.security.PrivateKey key) {
        OkHttpClient client = HostTrust.client(http, registration.caCertPem());
        GitHubAuth auth = key == null ? GitHubAuth.token(token) : new AppInstallationAuth(client, scope,
                registration.appId(), key, registration.installationId(), userAgent, java.time.Clock.systemUTC());
        return new GitHubApi(client, scope, auth, userAgent);
    }

    /** Where runner releases are read: a GHES owner's source, the registration's API on github.com, or none. */
    private ReleaseFeed feed(Stored registration, RunnerScope scope) {
        String base = registration.runnerReleaseSource() != null ? registration.runnerReleaseSource()
                : onGitHubCom(registration.url()) ? scope.apiBase() : null;
        return base == null ? null : new ReleaseFeed(HostTrust.client(http, registration.caCertPem()), base, userAgent);
    }

    private static boolean onGitHubCom(String url) {
        return "github.com".equalsIgnoreCase(java.net.URI.create(url.strip()).getHost());
    }

    private void useFeed(Stored registration) {
        RunnerScope scope = api.scope();
        releases.useFeed(feed(registration, scope), "a GitHub Enterprise Server registration without a runner "
                + "release source (runnerReleaseSource)");
    }

    public RunnerStatus status() {
        Stored current = stored;
        GitHubApi github = api;
        RunnerPool running = pool;
        if (current == null || github == null || running == null) {
            return RunnerStatus.unregistered(releases.status());
        }
        List<RunnerStatus.Runner> ours = running.runners().stream()
                .map(r -> new RunnerStatus.Runner(r.id(), r.name(), r.status(), r.busy(), r.labels())).toList();
        RunnerPool.Config pc = running.config();
        return new RunnerStatus(true, github.scope().display(), current.url(), github.scope().apiBase(),
                current.labels(), current.namePrefix(), current.runnerGroupId(), current.gpuSlots(),
                current.cpuSlots(), hint(), ours, github.lastSuccess(), github.rateLimitRemaining(), running.summary(),
                running.paused(), pc.ownedPrefix(), pc.slotCpus(), pc.slotMemoryMiB(), running.slots(),
                running.githubState(), pc.egress().mode().wire(), pc.egress().entries(),
                (int) pc.queuePoll().toSeconds(), running.queued(),
                // An organisation's jobs each get their own repository's cache.
                pc.cache() == null || !github.scope().isOrganisation() ? pc.cache() : pc.cache() + ".REPOSITORY",
                current.writeEvents(),
                current.appId() == null ? "token" : "app", current.appId(),
                github.auth() instanceof AppInstallationAuth app ? app.installationId() : current.installationId(),
                current.runnerGroup(), current.gpuJobs(),
                RunnerLabels.reach(current.gpuJobs(), current.labels(), current.cpuSlots() > 0), releases.status());
    }

    /** The running pool, as the lending thread asks it about cards; none while nothing is registered. */
    public LendingService.Borrower borrower() {
        RunnerPool running = pool;
        return running == null ? LendingService.Borrower.NONE : running;
    }

    /** {@code POST /v1/runner/pause} and {@code /resume}: drain, or start runners again. Kept across restarts. */
    public RunnerStatus setPaused(boolean paused, String caller) {
        Stored current = stored;
        RunnerPool running = pool;
        if (current == null || running == null) {
            throw DomainException.notFound("no runner registration: register first (rigdesk runner register)");
        }
        try {
            store(current.withPaused(paused));
        } catch (IOException | SQLException e) {
            throw DomainException.failed(ProblemCode.STORE_FAILED, "Cannot store the registration", e.getMessage(), null);
        }
        stored = current.withPaused(paused);
        if (paused) {
            running.pause();
        } else {
            running.resume();
        }
        audit.record(caller, paused ? "runner.pause" : "runner.resume", api.scope().display(), "ok",
                paused ? "running jobs finish; no new runners" : "slots refill");
        return status();
    }

    /** {@code POST /v1/runner/test-job}: the test image's stand-in runner takes it as if GitHub had sent it. */
    public Map<String, Object> testJob(RunnerTestJob request, String caller) {
        RunnerPool running = pool;
        if (running == null) {
            throw DomainException.notFound("no runner registration: register first (rigdesk runner register)");
        }
        if (!pools.testImage()) {
            throw DomainException.refused(ProblemCode.NOT_TEST_IMAGE, "the job image is not the test image, so its runner is "
                    + "GitHub's own: jobs come from GitHub", "Push a commit to a workflow with runs-on: [self-hosted, "
                    + "rigdesk]; or start rigdeskd with --image pointing at the test image");
        }
        Map<String, String> files = TestJobs.files(request);
        boolean gpu = Boolean.TRUE.equals(request.gpu());
        if (!running.hasSlot(gpu)) {
            throw DomainException.refused(ProblemCode.NO_SLOT, "there is no " + (gpu ? "GPU" : "CPU") + " slot to take it",
                    "Register with " + (gpu ? "--gpu-slots 1" : "--cpu-slots 1") + " or more");
        }
        running.addTestJob(new RunnerPool.TestJob(gpu, files));
        audit.record(caller, "runner.test-job", request.repository(), "ok", gpu ? "gpu slot" : "cpu slot");
        return Map.of("accepted", true, "slot", gpu ? "gpu" : "cpu");
    }

    private String ownedPrefix(Stored registration) {
        return registration.namePrefix() + "-" + pools.hostTag() + "-";
    }

    private void stopPool(boolean removeRunners) {
        RunnerPool running = pool;
        pool = null;
        if (running != null) {
            running.shutdown(removeRunners, java.time.Duration.ofSeconds(30));
        }
    }

    /** The daemon stops: the pool goes, the registration stays. */
    public void close() {
        RunnerPool running = pool;
        pool = null;
        if (running != null) {
            running.close();
        }
    }

    /** Deletes our idle runners from GitHub, then forgets the registration and the token. */
    public RunnerStatus remove(String caller) {
        Stored current = stored;
        GitHubApi github = api;
        if (current == null || github == null) {
            throw DomainException.notFound("no runner registration to remove");
        }
        String owned = ownedPrefix(current);
        stopPool(false);
        List<String> kept;
        try {
            kept = github.deleteIdleRunners(owned); // another host's or foreign runners are never touched
        } catch (IOException e) {
            audit.record(caller, "runner.remove", github.scope().display(), "failed", e.getMessage());
            throw DomainException.upstream(ProblemCode.GITHUB_ERROR, "Cannot remove runners", e.getMessage(),
                    "Try again; the registration is kept until its runners are gone.");
        }
        try {
            Files.deleteIfExists(tokenFile);
            Files.deleteIfExists(appKeyFile);
            database.with(connection -> {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM runner_registration")) {
                    return delete.executeUpdate();
                }
            });
        } catch (IOException | SQLException e) {
            throw DomainException.failed(ProblemCode.STORE_FAILED, "Cannot forget the registration", e.getMessage(), null);
        }
        api = null;
        stored = null;
        releases.useFeed(null, "nothing is registered");
        audit.record(caller, "runner.remove", github.scope().display(), "ok",
                kept.isEmpty() ? "all our runners deleted" : "busy runners left to finish: " + kept);
        return RunnerStatus.unregistered(releases.status());
    }

    /** {@code POST /v1/runner/release}: the owner's tarball, for hosts that cannot download one. */
    public RunnerStatus useTarball(java.io.InputStream body, String fileName, String version, String sha256,
                                   String caller) throws IOException {
        releases.useTarball(body, fileName, version, sha256, caller);
        return status();
    }

    private String hint() {
        if (stored != null && stored.appId() != null) {
            return "App " + stored.appId();
        }
        try {
            String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            return "…" + token.substring(Math.max(0, token.length() - 4));
        } catch (IOException e) {
            return null;
        }
    }

    /** A token or an App's key: 0600 from its first byte, replaced whole. */
    private static void writeSecret(Path file, String secret) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(temp);
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, secret, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private void store(Stored registration) throws SQLException, JsonProcessingException {
        String json = Json.mapper().writeValueAsString(registration);
        database.with(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("""
                    INSERT INTO runner_registration(id, registration, registered_at) VALUES (1, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET registration = excluded.registration,
                        registered_at = excluded.registered_at""")) {
                upsert.setString(1, json);
                upsert.setString(2, Instant.now().toString());
                return upsert.executeUpdate();
            }
        });
    }

    private void load() throws SQLException {
        Optional<Stored> found = database.with(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT registration FROM runner_registration");
                 ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(Json.mapper().readValue(rows.getString(1), Stored.class))
                        : Optional.<Stored>empty();
            } catch (JsonProcessingException e) {
                throw new SQLException("the stored runner registration is unreadable", e);
            }
        });
        if (found.isPresent()) {
            Stored registration = found.get();
            Path secret = registration.appId() != null ? appKeyFile : tokenFile;
            if (!Files.isReadable(secret)) {
                LOG.warning("the stored runner registration has no " + secret.getFileName() + ": register again");
                return;
            }
            try {
                String text = Files.readString(secret, StandardCharsets.UTF_8);
                boolean app = registration.appId() != null;
                api = connect(RunnerScope.parse(registration.url(), registration.apiUrl()), registration,
                        app ? null : text.strip(), app ? AppKeys.parse(text) : null);
                stored = registration;
            } catch (IOException | IllegalArgumentException e) {
                LOG.warning("the stored runner registration cannot be used: " + e.getMessage());
            }
        }
    }
}
