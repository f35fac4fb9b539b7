package org.rigdesk.daemon.network;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.rigdesk.daemon.host.CommandRunner;

/**
 * Living beside Docker: it sets the FORWARD policy of iptables' filter table to DROP, which would
 * drop job VMs' traffic whatever Rigdesk's own table says, and gives owners its DOCKER-USER chain
 * for their own rules. When that chain exists, job links get two there (out from them; replies
 * in); Rigdesk's table still refuses what it refuses. Checked at start and at each job's network,
 * since Docker may start after rigdeskd; removed when rigdeskd stops.
 */
final class DockerUserChain {

    private static final Logger LOG = Logger.getLogger(DockerUserChain.class.getName());
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final String CHAIN = "DOCKER-USER";
    private static final List<List<String>> RULES = List.of(
            List.of("-i", "rd-+", "-j", "ACCEPT"),
            List.of("-o", "rd-+", "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"));

    private final String iptables;

    /** {@code iptables}: the command, or null where it is not installed (then there is no Docker chain to mind). */
    DockerUserChain(String iptables) {
        this.iptables = iptables;
    }

    /** Adds the rules where the chain exists and lacks them. */
    void open() {
        if (iptables == null || !succeeds(List.of("-n", "-L", CHAIN))) {
            return;
        }
        for (List<String> rule : RULES) {
            if (!succeeds(command("-C", rule))) {
                try {
                    run(command("-I", rule));
                    LOG.info("Docker's " + CHAIN + " chain lets job VMs' traffic through: " + String.join(" ", rule));
                } catch (IOException e) {
                    LOG.warning("cannot add to Docker's " + CHAIN + " chain: " + e.getMessage());
                }
            }
        }
    }

    /** Removes every copy of the rules. */
    void close() {
        if (iptables == null || !succeeds(List.of("-n", "-L", CHAIN))) {
            return;
        }
        for (List<String> rule : RULES) {
            for (int i = 0; i < 16 && succeeds(command("-C", rule)); i++) {
                succeeds(command("-D", rule));
            }
        }
    }

    private List<String> command(String action, List<String> rule) {
        List<String> argv = new ArrayList<>(List.of(action, CHAIN));
        argv.addAll(rule);
        return argv;
    }

    private boolean succeeds(List<String> arguments) {
        try {
            run(arguments);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void run(List<String> arguments) throws IOException {
        List<String> argv = new ArrayList<>(List.of(iptables, "-w"));
        argv.addAll(arguments);
        CommandRunner.run(argv, TIMEOUT);
    }
}
