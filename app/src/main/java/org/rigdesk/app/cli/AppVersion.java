package org.rigdesk.app.cli;

import picocli.CommandLine;

/** The version Maven wrote into the jar's manifest. */
public class AppVersion implements CommandLine.IVersionProvider {

    public static String get() {
        String version = AppVersion.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"rigdesk " + get()};
    }
}
