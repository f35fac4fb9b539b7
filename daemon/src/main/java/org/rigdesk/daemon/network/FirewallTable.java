package org.rigdesk.daemon.network;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rigdesk.api.wire.Json;
import org.rigdesk.daemon.host.CommandRunner;

/**
 * Rigdesk's own nftables table, {@code inet rigdesk}: the only rules it makes, beside whatever
 * Docker, libvirt or the owner keep in theirs (it never touches another table). Job VMs' links are
 * the interfaces named {@code rd-*}. From them: DNS to their own link's host address, the owner's
 * exceptions, and the internet; never the host (input), private and local ranges, other job VMs
 * or IPv6 (forward), nor the networks the host reaches other than by its default route ({@code
 * lan4}, kept by {@link LanRoutes}). Into them: only replies. Outbound traffic is masqueraded.
 *
 * <p>A link speaks only from its own job's address ({@code guests4}; anything else is dropped
 * before routing and counted in {@code spoofed4}). Each job has chains and sets of its own ({@link
 * #addJob}): the shared chains send a link's packets to its job's chains by the link's name, and a
 * link without them is dropped. So one job's counting cannot fill another's sets (a job's sets
 * hold {@link #JOB_SET_SIZE} entries each, a bounded read), its allow-list is its own, and
 * removing the job removes all of it in one transaction. Every flow is counted per destination,
 * and every refused attempt with the rule that refused it (the packet's mark, set as it is
 * refused); a verdict never rides on a set update (an update fails when its set is full, and the
 * rule it is in stops there), so a full set loses counts, never traffic.
 */
final class FirewallTable {

    static final String TABLE = "rigdesk";
    /** The private and local ranges; documentation and other public ranges are the internet. */
    static final List<String> PRIVATE = List.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/4", "240.0.0.0/4");
    /** Entries each of a job's counting sets holds: past it, new destinations go uncounted (never blocked). */
    static final int JOB_SET_SIZE = 4096;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String TUPLE = "ip daddr . meta l4proto . th dport";
    private static final String REPLY_TUPLE = "ip saddr . meta l4proto . th sport";
    /** A refused connection fails at once in the guest (a job learns why), rather than hanging until it times out. */
    private static final String REFUSE = "reject with icmpx type admin-prohibited";
    private static final String TCP_UDP = "meta l4proto { tcp, udp } ";
    /** Each dispatch map and the prefix of the job chain its link's packets jump to ({@code in-N}…). */
    private static final Map<String, String> JOB_CHAINS = new LinkedHashMap<>(Map.of(
            "input4", "in-", "forward4", "fwd-", "replies4", "reply-"));
    /** A job's counting sets and its allow-list, by prefix ({@code flows-N}…). */
    private static final List<String> JOB_SETS = List.of("flows-", "refused-", "unlisted-", "permitted-");
    /** Why an attempt was refused: the mark it is refused with, in a job's refused set, and its label. */
    static final List<String> RULES = List.of("", "the host", "a private range", "the LAN", "the allow-list");

    private final String nft;
    private final Path scratch;
    private final Ipv4.Block subnet;

    FirewallTable(String nft, Path scratch, Ipv4.Block subnet) {
        this.nft = nft;
        this.scratch = scratch;
        this.subnet = subnet;
    }

    String ruleset() {
        return String.join("\n",
                "table inet " + TABLE + " {",
                "  set private4 { type ipv4_addr; flags interval; elements = { " + String.join(", ", PRIVATE) + " } }",
                "  set lan4 { type ipv4_addr; flags interval; }",
                "  set allow4 { type ipv4_addr . inet_proto . inet_service; flags interval; }",
                "  set guests4 { type ifname . ipv4_addr; }",
                "  set spoofed4 { type ifname . ipv4_addr; flags dynamic; counter; size 4096; }",
                // Each link's own chains, by its name: what it may send to the host, and beyond.
                "  map input4 { type ifname : verdict; }",
                "  map forward4 { type ifname : verdict; }",
                "  map replies4 { type ifname : verdict; }",
                // Before routing (and rp_filter, and conntrack): a source that is not the link's own job's.
                "  chain prerouting {",
                "    type filter hook prerouting priority raw; policy accept;",
                "    iifname \"rd-*\" meta nfproto ipv4 iifname . ip saddr != @guests4 update @spoofed4 { iifname . ip saddr }",
                "    iifname \"rd-*\" meta nfproto ipv4 iifname . ip saddr != @guests4 drop",
                "  }",
                "  chain input {",
                "    type filter hook input priority filter; policy accept;",
                "    iifname \"rd-*\" iifname vmap @input4",
                "    iifname \"rd-*\" " + REFUSE,
                "  }",
                "  chain forward {",
                "    type filter hook forward priority filter; policy accept;",
                "    oifname \"rd-*\" oifname vmap @replies4",
                "    oifname \"rd-*\" drop",
                "    iifname \"rd-*\" iifname vmap @forward4",
                "    iifname \"rd-*\" drop",
                "  }",
                "  chain postrouting {",
                "    type nat hook postrouting priority srcnat; policy accept;",
                "    ip saddr " + subnet + " oifname != \"rd-*\" masquerade",
                "  }",
                "}",
                "");
    }

    /** Counts an attempt refused by rule {@code rule} (an index of {@link #RULES}); the next rule refuses it. */
    private static String countRefused(long job, int rule) {
        return TCP_UDP + "meta mark set " + rule + " add @refused-" + job + " { " + TUPLE + " . meta mark }";
    }

    /** The owner's exceptions ({@code allow4}): counted in the job's flows, then accepted. */
    private static List<String> exceptions(String flows) {
        String allowed = TCP_UDP + "ip daddr . meta l4proto . th dport @allow4 ";
        return List.of(allowed + "update " + flows + " { " + TUPLE + " }", allowed + "accept");
    }

    /**
     * Job {@code job}'s sets and chains, and its link {@code tap} pointed at them: from the guest
     * {@code guest} only, DNS to {@code gateway}, what {@code policy} lets it reach. One transaction.
     */
    String jobRules(long job, String tap, String gateway, String guest, EgressPolicy policy) {
        String flows = "@flows-" + job;
        List<String> forward = new ArrayList<>(List.of(
                "meta nfproto ipv6 drop",
                "ct state established,related " + TCP_UDP + "update " + flows + " { " + TUPLE + " }",
                "ct state established,related accept"));
        forward.addAll(exceptions(flows));
        if (policy.mode() == EgressPolicy.Mode.ALLOW_LIST) {
            // A registration's allow-list: only what it names (its blocks, its names' answers).
            forward.add("ip daddr != @permitted-" + job + " " + countRefused(job, 4));
            forward.add("ip daddr != @permitted-" + job + " " + REFUSE);
        } else if (policy.mode() == EgressPolicy.Mode.AUDIT) {
            forward.add("ip daddr != @permitted-" + job + " " + TCP_UDP + "add @unlisted-" + job + " { " + TUPLE + " }");
        }
        forward.addAll(List.of(
                "ip daddr @private4 " + countRefused(job, 2),
                "ip daddr @private4 " + REFUSE,
                "ip daddr @lan4 " + countRefused(job, 3),
                "ip daddr @lan4 " + REFUSE,
                TCP_UDP + "update " + flows + " { " + TUPLE + " }",
                "accept"));
        String counted = "add set inet " + TABLE + " %s-" + job + " { type ipv4_addr . inet_proto . inet_service%s; "
                + "flags dynamic; counter; size " + JOB_SET_SIZE + "; }\n";
        StringBuilder script = new StringBuilder()
                .append(String.format(counted, "flows", ""))
                .append(String.format(counted, "refused", " . mark"))
                .append(String.format(counted, "unlisted", ""))
                .append("add set inet " + TABLE + " permitted-" + job + " { type ipv4_addr; flags interval; }\n");
        if (!policy.blocks().isEmpty()) {
            script.append("add element inet " + TABLE + " permitted-" + job + " { ")
                    .append(String.join(", ", policy.blocks())).append(" }\n");
        }
        List<String> input = new ArrayList<>(List.of("ip daddr " + gateway + " udp dport 53 accept"));
        input.addAll(exceptions(flows));
        input.addAll(List.of(countRefused(job, 1), REFUSE));
        chain(script, "in-" + job, input);
        chain(script, "fwd-" + job, forward);
        chain(script, "reply-" + job, List.of(
                "ct state established,related " + TCP_UDP + "update " + flows + " { " + REPLY_TUPLE + " }",
                "ct state established,related accept",
                "drop"));
        return script.append(linkElements("add", job, tap, guest)).toString();
    }

    private static void chain(StringBuilder script, String name, List<String> rules) {
        script.append("add chain inet " + TABLE + " " + name + "\n");
        rules.forEach(rule -> script.append("add rule inet " + TABLE + " " + name + " " + rule + "\n"));
    }

    /** The link's elements: its one source address, and each map's jump to the job's chain (a delete names keys only). */
    private static String linkElements(String verb, long job, String tap, String guest) {
        String link = "\"" + tap + "\"";
        StringBuilder elements = new StringBuilder(verb + " element inet " + TABLE + " guests4 { " + link + " . " + guest
                + " }\n");
        JOB_CHAINS.forEach((map, chain) -> elements.append(verb + " element inet " + TABLE + " " + map + " { " + link
                + (verb.equals("add") ? " : jump " + chain + job : "") + " }\n"));
        return elements.toString();
    }

    /** Puts job {@code job}'s chains and sets in place and its link {@code tap} to them (see {@link #jobRules}). */
    void addJob(long job, String tap, String gateway, String guest, EgressPolicy policy) throws IOException {
        apply(jobRules(job, tap, gateway, guest, policy));
    }

    /**
     * Takes job {@code job}'s link out and its chains and sets away, in one transaction: whatever
     * its counters said, or whether they could be read, nothing of it is left for the next job.
     */
    void removeJob(long job, String tap, String guest) throws IOException {
        StringBuilder script = new StringBuilder(linkElements("delete", job, tap, guest));
        JOB_CHAINS.values().forEach(chain -> script.append("delete chain inet " + TABLE + " " + chain + job + "\n"));
        JOB_SETS.forEach(set -> script.append("delete set inet " + TABLE + " " + set + job + "\n"));
        apply(script.toString());
    }

    /** Replaces the table (a crashed daemon's included) with a fresh one. */
    void install() throws IOException {
        remove();
        apply(ruleset());
    }

    /** Deletes the table, if there is one. */
    void remove() throws IOException {
        String tables = run(List.of(nft, "list", "tables"));
        if (tables.lines().anyMatch(line -> line.strip().equals("table inet " + TABLE))) {
            run(List.of(nft, "delete", "table", "inet", TABLE));
        }
    }

    /** The networks the host reaches other than by its default route, replacing the last ones at once. */
    void setLan(List<Ipv4.Block> blocks) throws IOException {
        StringBuilder script = new StringBuilder("flush set inet " + TABLE + " lan4\n");
        if (!blocks.isEmpty()) {
            script.append("add element inet " + TABLE + " lan4 { ")
                    .append(String.join(", ", blocks.stream().map(Ipv4.Block::toString).toList())).append(" }\n");
        }
        apply(script.toString());
    }

    /** Permits job {@code job} to reach {@code addresses} (its resolver's answer for a listed name). */
    void permit(long job, List<String> addresses) throws IOException {
        if (!addresses.isEmpty()) {
            run(List.of(nft, "add", "element", "inet", TABLE, "permitted-" + job, "{ " + String.join(", ", addresses)
                    + " }"));
        }
    }

    /** The owner's exceptions, replacing the last ones in one transaction. */
    void setExceptions(List<Ipv4.Block> blocks, List<Integer> ports) throws IOException {
        StringBuilder script = new StringBuilder("flush set inet " + TABLE + " allow4\n");
        List<String> elements = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            for (String protocol : List.of("tcp", "udp")) {
                elements.add(blocks.get(i) + " . " + protocol + " . " + ports.get(i));
            }
        }
        if (!elements.isEmpty()) {
            script.append("add element inet " + TABLE + " allow4 { ").append(String.join(", ", elements)).append(" }\n");
        }
        apply(script.toString());
    }

    /** One counted destination of one job; {@code rule}: the index in {@link #RULES} that refused it, or 0. */
    record Counted(String address, String protocol, int port, long packets, long bytes, int rule) {

        /** The refusing rule's words, or null. */
        String ruleLabel() {
            return rule > 0 && rule < RULES.size() ? RULES.get(rule) : null;
        }
    }

    /** What job {@code job}'s set {@code kind} ({@code flows}, {@code refused}, {@code unlisted}) holds. */
    List<Counted> counted(String kind, long job) throws IOException {
        List<Counted> counted = new ArrayList<>();
        for (JsonNode element : elements(kind + "-" + job)) {
            JsonNode concat = element.path("val").path("concat");
            if (concat.size() >= 3) {
                counted.add(new Counted(concat.get(0).asText(), concat.get(1).asText(), concat.get(2).asInt(),
                        element.path("counter").path("packets").asLong(), element.path("counter").path("bytes").asLong(),
                        concat.size() == 4 ? concat.get(3).asInt() : 0));
            }
        }
        return counted;
    }

    /** Packets link {@code tap} sent from addresses not its job's: the address claimed, and how many. */
    List<Counted> spoofed(String tap) throws IOException {
        List<Counted> spoofed = new ArrayList<>();
        for (JsonNode element : elements("spoofed4")) {
            JsonNode concat = element.path("val").path("concat");
            if (concat.size() == 2 && tap.equals(concat.get(0).asText())) {
                spoofed.add(new Counted(concat.get(1).asText(), "any", 0, element.path("counter").path("packets").asLong(),
                        element.path("counter").path("bytes").asLong(), 0));
            }
        }
        return spoofed;
    }

    /** Forgets what link {@code tap} sent from other addresses (the next job on it starts clean). */
    void forgetSpoofed(String tap, List<Counted> spoofed) throws IOException {
        if (!spoofed.isEmpty()) {
            apply("delete element inet " + TABLE + " spoofed4 { " + String.join(", ", spoofed.stream()
                    .map(c -> "\"" + tap + "\" . " + c.address()).toList()) + " }\n");
        }
    }

    /** The elements of set {@code set} as nft lists them ({@code {val, counter}} each). */
    private List<JsonNode> elements(String set) throws IOException {
        JsonNode answer = Json.mapper().readTree(run(List.of(nft, "-j", "list", "set", "inet", TABLE, set)));
        List<JsonNode> elements = new ArrayList<>();
        for (JsonNode item : answer.path("nftables")) {
            for (JsonNode element : item.path("set").path("elem")) {
                elements.add(element.path("elem"));
            }
        }
        return elements;
    }

    private void apply(String script) throws IOException {
        Files.createDirectories(scratch);
        Path file = Files.createTempFile(scratch, "nft-", ".rules");
        try {
            Files.writeString(file, script);
            run(List.of(nft, "-f", file.toString()));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String run(List<String> argv) throws IOException {
        return CommandRunner.run(argv, TIMEOUT);
    }
}
