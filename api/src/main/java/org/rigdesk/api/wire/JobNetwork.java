package org.rigdesk.api.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code GET /v1/jobs/{id}/network}: a job's network and its egress log — where the guest went
 * (address, port, protocol, the DNS name that led there when one did, bytes both ways), what it
 * was refused, and the names it asked for. Live while the job runs, kept with the job after.
 * {@code egress}: the policy it ran under ({@code open}, {@code allow-list}, {@code audit});
 * {@code unlisted}: under {@code audit}, what an allow-list would have refused (it was let through).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobNetwork(
        boolean enabled,
        String egress,
        String address,
        String gateway,
        List<Flow> flows,
        List<Refusal> refused,
        List<Refusal> unlisted,
        List<Lookup> dns) {

    public static final JobNetwork NONE = new JobNetwork(false, null, null, null, List.of(), List.of(), List.of(),
            List.of());

    public JobNetwork {
        flows = flows == null ? List.of() : List.copyOf(flows);
        refused = refused == null ? List.of() : List.copyOf(refused);
        unlisted = unlisted == null ? List.of() : List.copyOf(unlisted);
        dns = dns == null ? List.of() : List.copyOf(dns);
    }

    /** Traffic to one destination, both directions counted. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Flow(String address, int port, String protocol, String name, long packets, long bytes) {
    }

    /**
     * Attempts to reach a destination the job may not reach (the host, the LAN, another job), and
     * which rule refused them ({@code rule}: "the host", "a private range", "the LAN", "the
     * allow-list", "not the job's address": packets sent from an address not its own, {@code
     * address} the one claimed, port 0, protocol "any").
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Refusal(String address, int port, String protocol, String name, long attempts, String rule) {

        public Refusal(String address, int port, String protocol, String name, long attempts) {
            this(address, port, protocol, name, attempts, null);
        }
    }

    /** A DNS question the guest asked, and the addresses of the answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Lookup(String name, String type, List<String> answers, String error) {
    }
}
