package org.rigdesk.api.wire;

/**
 * Every problem code the daemon answers with ({@link Problem#code()}): stable, for scripts and
 * for the app to tell refusals apart without reading their words.
 */
public final class ProblemCode {

    private ProblemCode() {
    }

    // The request itself
    public static final String BAD_REQUEST = "bad-request";
    public static final String NOT_FOUND = "not-found";
    public static final String METHOD_NOT_ALLOWED = "method-not-allowed";
    public static final String BODY_TOO_LARGE = "body-too-large";
    public static final String HEADERS_TOO_LARGE = "headers-too-large";
    public static final String FORBIDDEN = "forbidden";
    /** A user (or everyone together) holds as many event streams and followed logs as the daemon serves. */
    public static final String TOO_MANY_STREAMS = "too-many-streams";
    public static final String INTERNAL = "internal";

    // GPU mode changes (PUT /v1/gpus/{bdf}/mode)
    public static final String IOMMU_OFF = "iommu-off";
    public static final String GROUP_NOT_ISOLATED = "group-not-isolated";
    public static final String BOOT_VGA = "boot-vga";
    public static final String IN_USE = "in-use";
    public static final String VFIO_UNAVAILABLE = "vfio-unavailable";
    public static final String BUSY = "busy";
    /** A card that did not come back clean from a job (or fails its health check): quarantined. */
    public static final String UNHEALTHY = "unhealthy";
    public static final String NO_DRIVER_OVERRIDE = "no-driver-override";
    public static final String TOGGLE_FAILED = "toggle-failed";
    public static final String STUCK = "stuck";
    /** A manual toggle of a card its lending policy moves (on-demand, schedule). */
    public static final String LENT_BY_POLICY = "lent-by-policy";

    // Jobs
    public static final String NOT_IN_PASSTHROUGH = "not-in-passthrough";
    public static final String NOT_ENOUGH_GPUS = "not-enough-gpus";
    public static final String NO_VMM = "no-vmm";
    public static final String NO_IMAGE = "no-image";
    public static final String NO_NETWORK = "no-network";
    public static final String ALREADY_FINISHED = "already-finished";
    public static final String STORE_FAILED = "store-failed";

    // The runner and GitHub
    public static final String BAD_TOKEN = "bad-token";
    public static final String MISSING_PERMISSION = "missing-permission";
    public static final String UNKNOWN_SCOPE = "unknown-scope";
    public static final String GITHUB_UNREACHABLE = "github-unreachable";
    public static final String GITHUB_ERROR = "github-error";
    public static final String NO_SLOT = "no-slot";
    public static final String NOT_TEST_IMAGE = "not-test-image";
    /** The actions runner to be had is older than GitHub accepts ({@link RunnerRelease#MINIMUM_VERSION}). */
    public static final String RUNNER_TOO_OLD = "runner-too-old";
    /** A runner tarball whose SHA-256 is not the one it should have. */
    public static final String RUNNER_HASH_MISMATCH = "runner-hash-mismatch";
    /** A runner tarball that is not one: no run.sh at its top, or not a gzip'd tar. */
    public static final String BAD_RUNNER_TARBALL = "bad-runner-tarball";
    /** A GitHub App that GitHub refused (bad key, no installation for the scope). */
    public static final String BAD_APP = "bad-app";
    /** A runner group name the organisation does not have. */
    public static final String UNKNOWN_RUNNER_GROUP = "unknown-runner-group";

    // Caches
    public static final String CACHE_IN_USE = "cache-in-use";
    public static final String CACHE_EXISTS = "cache-exists";
    public static final String NO_CACHE = "no-cache";

    // Telemetry
    public static final String TELEMETRY_UNAVAILABLE = "telemetry-unavailable";
}
