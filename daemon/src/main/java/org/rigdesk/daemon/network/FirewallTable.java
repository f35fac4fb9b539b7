package org.rigdesk.daemon.network;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.rigdesk.api.wire.Json;
import org.rigdesk.daemon.host.CommandRunner;

/**
 * Rigdesk's own nftables table, {@code inet rigdesk}: the only rules it makes, beside whatever
 * Docker, libvirt or the owner keep in theirs (it never touches another table). Job VMs' links are
 * the interfaces named {@code rd-*}. From them: DNS to their own link's host address, the owner's
 * exceptions, and the internet; never the host (input), private and local ranges, other job VMs
 * or IPv6 (forward), nor the networks the host reaches other than by its default route ({@code
 * lan4}, kept by {@link LanRoutes}). Into them: only replies. Outbound traffic is masqueraded.
 * A link speaks only from its own job's address ({@code guests4}; anything else is dropped before
 * routing and counted in {@code spoofed4}). Every flow is counted per destination, and every
 * refused attempt with the rule that refused it (the packet's mark, set as it is refused), in
 * dynamic sets read for the egress log; a verdict never rides on a set update (an update fails
 * when its set is full, and the rule it is in stops there), so a full set loses counts, never
 * traffic.
 */
final class FirewallTable {

    static final String TABLE = "rigdesk";
    /** The private and local ranges; documentation and other public ranges are the internet. */
    static final List<String> PRIVATE = List.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/4", "240.0.0.0/4");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String TUPLE = "ip saddr . ip daddr . meta l4proto . th dport";
    /** A refused connection fails at once in the guest (a job learns why), rather than hanging until it times out. */
    private static final String REFUSE = "reject with icmpx type admin-prohibited";
    private static final String REPLY_TUPLE = "ip daddr . ip saddr . meta l4proto . th sport";
    /** Why an attempt was refused: the mark it is refused with, in the refused4 key, and its label. */
    static final List<String> RULES = List.of("", "the host", "a private range", "the LAN", "the allow-list");

    private final String nft;
    private final Path scratch;
    private final Ipv4.Block subnet;

    FirewallTable(String nft, Path scratch, Ipv4.Block subnet) {
        this.nft = nft;
        this.scratch = scratch;
        this.subnet = subnet;
    }

    /** Counts an attempt refused by rule {@code rule} (an index of {@link #RULES}); the next rule refuses it. */
    private static String countRefused(int rule) {
        return "meta l4proto { tcp, udp } meta mark set " + rule + " add @refused4 { " + TUPLE + " . meta mark }";
    }

    String ruleset() {
        String counted = "set %s { type ipv4_addr . ipv4_addr . inet_proto . inet_service%s; flags dynamic; counter; "
                + "size 65536; }";
        return String.join("\n",
                "table inet " + TABLE + " {",
                "  set private4 { type ipv4_addr; flags interval; elements = { " + String.join(", ", PRIVATE) + " } }",
                "  set lan4 { type ipv4_addr; flags interval; }",
                "  set gateways4 { type ifname . ipv4_addr; }",
                "  set guests4 { type ifname . ipv4_addr; }",
                "  set spoofed4 { type ifname . ipv4_addr; flags dynamic; counter; size 4096; }",
                "  set allow4 { type ipv4_addr . inet_proto . inet_service; flags interval; }",
                "  " + String.format(counted, "flows4", ""),
                "  " + String.format(counted, "refused4", " . mark"),
                "  " + String.format(counted, "unlisted4", ""),
                "  set strict4 { type ipv4_addr; }",
                "  set audit4 { type ipv4_addr; }",
                "  set permitted4 { type ipv4_addr . ipv4_addr; flags interval; }",
                // Before routing (and rp_filter, and conntrack): a source that is not the link's own job's.
                "  chain prerouting {",
                "    type filter hook prerouting priority raw; policy accept;",
                "    iifname \"rd-*\" meta nfproto ipv4 iifname . ip saddr != @guests4 update @spoofed4 { iifname . ip saddr }",
                "    iifname \"rd-*\" meta nfproto ipv4 iifname . ip saddr != @guests4 drop",
                "  }",
                "  chain input {",
                "    type filter hook input priority filter; policy accept;",
                "    iifname \"rd-*\" iifname . ip daddr @gateways4 udp dport 53 accept",
                "    iifname \"rd-*\" meta l4proto { tcp, udp } ip daddr . meta l4proto . th dport @allow4 update @flows4 { "
                        + TUPLE + " }",
                "    iifname \"rd-*\" meta l4proto { tcp, udp } ip daddr . meta l4proto . th dport @allow4 accept",
                "    iifname \"rd-*\" " + countRefused(1),
                "    iifname \"rd-*\" " + REFUSE,
                "  }",
                "  chain forward {",
                "    type filter hook forward priority filter; policy accept;",
                "    oifname \"rd-*\" ct state established,related meta l4proto { tcp, udp } update @flows4 { "
                        + REPLY_TUPLE + " }",
                "    oifname \"rd-*\" ct state established,related accept",
                "    iifname \"rd-*\" meta nfproto ipv6 drop",
                "    iifname \"rd-*\" ct state established,related meta l4proto { tcp, udp } update @flows4 { " + TUPLE
                        + " }",
                "    iifname \"rd-*\" ct state established,related accept",
                "    iifname \"rd-*\" meta l4proto { tcp, udp } ip daddr . meta l4proto . th dport @allow4 update @flows4 { "
                        + TUPLE + " }",
                "    iifname \"rd-*\" meta l4proto { tcp, udp } ip daddr . meta l4proto . th dport @allow4 accept",
                // A registration's allow-list: only what it names (its blocks, its names' answers).
                "    iifname \"rd-*\" ip saddr @strict4 ip saddr . ip daddr != @permitted4 " + countRefused(4),
                "    iifname \"rd-*\" ip saddr @strict4 ip saddr . ip daddr != @permitted4 " + REFUSE,
                "    iifname \"rd-*\" ip saddr @audit4 ip saddr . ip daddr != @permitted4 meta l4proto { tcp, udp } "
                        + "add @unlisted4 { " + TUPLE + " }",
                "    iifname \"rd-*\" ip daddr @private4 " + countRefused(2),
                "    iifname \"rd-*\" ip daddr @private4 " + REFUSE,
                "    iifname \"rd-*\" ip daddr @lan4 " + countRefused(3),
                "    iifname \"rd-*\" ip daddr @lan4 " + REFUSE,
                "    oifname \"rd-*\" drop",
                "    iifname \"rd-*\" meta l4proto { tcp, udp } update @flows4 { " + TUPLE + " }",
                "    iifname \"rd-*\" accept",
                "  }",
                "  chain postrouting {",
                "    type nat hook postrouting priority srcnat; policy accept;",
                "    ip saddr " + subnet + " oifname != \"rd-*\" masquerade",
                "  }",
                "}",
                "");
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

    /** A job's link: its host end's address (the guest's resolver) and the one address it may send from. */
    void addLink(String tap, String gateway, String guest) throws IOException {
        apply(linkElements("add", tap, gateway, guest));
    }

    void removeLink(String tap, String gateway, String guest) throws IOException {
        apply(linkElements("delete", tap, gateway, guest));
    }

    private static String linkElements(String verb, String tap, String gateway, String guest) {
        return verb + " element inet " + TABLE + " gateways4 { \"" + tap + "\" . " + gateway + " }\n"
                + verb + " element inet " + TABLE + " guests4 { \"" + tap + "\" . " + guest + " }\n";
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

    /** Packets link {@code tap} sent from addresses not its job's: the address claimed, and how many. */
    List<Counted> spoofed(String tap) throws IOException {
        JsonNode answer = Json.mapper().readTree(run(List.of(nft, "-j", "list", "set", "inet", TABLE, "spoofed4")));
        List<Counted> spoofed = new ArrayList<>();
        for (JsonNode element : answer.findValues("elem")) {
            for (JsonNode item : element) {
                JsonNode concat = item.path("elem").path("val").path("concat");
                if (concat.size() == 2 && tap.equals(concat.get(0).asText())) {
                    JsonNode counter = item.path("elem").path("counter");
                    spoofed.add(new Counted(concat.get(1).asText(), "any", 0, counter.path("packets").asLong(),
                            counter.path("bytes").asLong(), 0));
                }
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

    /** Puts {@code guest} under its registration's policy: its mode's set, its blocks permitted. */
    void setPolicy(String guest, EgressPolicy policy) throws IOException {
        if (policy.mode() == EgressPolicy.Mode.OPEN) {
            return;
        }
        StringBuilder script = new StringBuilder("add element inet " + TABLE + " "
                + (policy.mode() == EgressPolicy.Mode.AUDIT ? "audit4" : "strict4") + " { " + guest + " }\n");
        for (String block : policy.blocks()) {
            script.append("add element inet " + TABLE + " permitted4 { " + guest + " . " + block + " }\n");
        }
        apply(script.toString());
    }

    /** Permits {@code guest} to reach {@code addresses} (its resolver's answer for a listed name). */
    void permit(String guest, List<String> addresses) throws IOException {
        if (!addresses.isEmpty()) {
            run(List.of(nft, "add", "element", "inet", TABLE, "permitted4", "{ " + String.join(", ",
                    addresses.stream().map(address -> guest + " . " + address).toList()) + " }"));
        }
    }

    /** Takes {@code guest} out of the policy sets (its address goes to the next job). */
    void clearPolicy(String guest) throws IOException {
        StringBuilder script = new StringBuilder();
        for (String set : List.of("strict4", "audit4")) {
            JsonNode answer = Json.mapper().readTree(run(List.of(nft, "-j", "list", "set", "inet", TABLE, set)));
            for (JsonNode element : answer.findValues("elem")) {
                element.forEach(value -> {
                    if (guest.equals(value.asText())) {
                        script.append("delete element inet " + TABLE + " " + set + " { " + guest + " }\n");
                    }
                });
            }
        }
        JsonNode permitted = Json.mapper().readTree(run(List.of(nft, "-j", "list", "set", "inet", TABLE, "permitted4")));
        for (JsonNode elements : permitted.findValues("elem")) {
            for (JsonNode element : elements) {
                JsonNode concat = element.path("concat");
                if (concat.size() == 2 && guest.equals(concat.get(0).asText())) {
                    JsonNode to = concat.get(1);
                    String target = to.isTextual() ? to.asText()
                            : to.path("prefix").path("addr").asText() + "/" + to.path("prefix").path("len").asInt();
                    script.append("delete element inet " + TABLE + " permitted4 { " + guest + " . " + target + " }\n");
                }
            }
        }
        if (script.length() > 0) {
            apply(script.toString());
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

    /** One counted destination of one guest; {@code rule}: the index in {@link #RULES} that refused it, or 0. */
    record Counted(String address, String protocol, int port, long packets, long bytes, int rule) {

        /** The refusing rule's words, or null. */
        String ruleLabel() {
            return rule > 0 && rule < RULES.size() ? RULES.get(rule) : null;
        }
    }

    /** What the set ({@code flows4} or {@code refused4}) holds for {@code guest}. */
    List<Counted> counted(String set, String guest) throws IOException {
        JsonNode answer = Json.mapper().readTree(run(List.of(nft, "-j", "list", "set", "inet", TABLE, set)));
        List<Counted> counted = new ArrayList<>();
        for (JsonNode item : answer.path("nftables")) {
            for (JsonNode element : item.path("set").path("elem")) {
                JsonNode concat = element.path("elem").path("val").path("concat");
                if (concat.size() >= 4 && guest.equals(concat.get(0).asText())) {
                    JsonNode counter = element.path("elem").path("counter");
                    counted.add(new Counted(concat.get(1).asText(), concat.get(2).asText(), concat.get(3).asInt(),
                            counter.path("packets").asLong(), counter.path("bytes").asLong(),
                            concat.size() == 5 ? concat.get(4).asInt() : 0));
                }
            }
        }
        return counted;
    }

    /** Removes {@code guest}'s entries from the set, so that the next job on its address starts clean. */
    void forget(String set, String guest, List<Counted> counted) throws IOException {
        if (counted.isEmpty()) {
            return;
        }
        List<String> elements = counted.stream().map(c -> guest + " . " + c.address() + " . " + c.protocol() + " . "
                + c.port() + (set.equals("refused4") ? " . " + c.rule() : "")).toList();
        apply("delete element inet " + TABLE + " " + set + " { " + String.join(", ", elements) + " }\n");
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
