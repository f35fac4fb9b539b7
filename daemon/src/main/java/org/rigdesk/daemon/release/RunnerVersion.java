package org.rigdesk.daemon.release;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An actions/runner version, {@code MAJOR.MINOR.PATCH}, ordered numerically ("2.330.0" after "2.99.0"). */
public record RunnerVersion(int major, int minor, int patch) implements Comparable<RunnerVersion> {

    private static final Pattern TEXT = Pattern.compile("^v?(\\d{1,4})\\.(\\d{1,5})\\.(\\d{1,5})$");
    /** The release's asset for this host: {@code actions-runner-linux-x64-2.331.0.tar.gz}. */
    private static final Pattern ASSET = Pattern.compile("^actions-runner-linux-x64-(\\d{1,4}\\.\\d{1,5}\\.\\d{1,5})\\.tar\\.gz$");

    public static final RunnerVersion MINIMUM = parse(org.rigdesk.api.wire.RunnerRelease.MINIMUM_VERSION);

    /** "2.331.0" or a tag "v2.331.0"; anything else is an IllegalArgumentException. */
    public static RunnerVersion parse(String text) {
        Matcher m = text == null ? null : TEXT.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("not a runner version (2.331.0): "
                    + org.rigdesk.daemon.problems.DomainException.quote(text == null ? "" : text));
        }
        return new RunnerVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    /** The version an asset's file name carries, or null when the name is not a linux-x64 runner's. */
    public static RunnerVersion ofAsset(String fileName) {
        Matcher m = fileName == null ? null : ASSET.matcher(fileName);
        return m != null && m.matches() ? parse(m.group(1)) : null;
    }

    public static String assetName(RunnerVersion version) {
        return "actions-runner-linux-x64-" + version + ".tar.gz";
    }

    public boolean olderThan(RunnerVersion other) {
        return compareTo(other) < 0;
    }

    @Override
    public int compareTo(RunnerVersion other) {
        int c = Integer.compare(major, other.major);
        if (c == 0) {
            c = Integer.compare(minor, other.minor);
        }
        return c != 0 ? c : Integer.compare(patch, other.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
