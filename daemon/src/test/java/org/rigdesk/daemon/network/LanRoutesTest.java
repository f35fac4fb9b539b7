package org.rigdesk.daemon.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** "The LAN" read from {@code ip -j -4 route show table all} as iproute2 prints it. */
class LanRoutesTest {

    private static final Ipv4.Block JOBS = Ipv4.Block.parse("10.201.0.0/16").orElseThrow();

    @Test
    void everyNetworkButTheDefaultRoutesJobLinksAndLocalEntries() throws Exception {
        String routes = """
                [{"dst":"default","gateway":"192.0.2.1","dev":"eth0","protocol":"dhcp","flags":[]},
                 {"dst":"192.0.2.0/24","dev":"eth0","protocol":"kernel","scope":"link","prefsrc":"192.0.2.2","flags":[]},
                 {"dst":"198.51.100.0/24","dev":"eth1","protocol":"kernel","scope":"link","flags":[]},
                 {"dst":"172.17.0.0/16","dev":"docker0","protocol":"kernel","scope":"link","flags":["linkdown"]},
                 {"dst":"0.0.0.0/1","gateway":"10.8.0.1","dev":"tun0","flags":[]},
                 {"dst":"128.0.0.0/1","gateway":"10.8.0.1","dev":"tun0","flags":[]},
                 {"dst":"100.101.0.0/16","gateway":"10.8.0.1","dev":"tun0","table":"51820","flags":[]},
                 {"dst":"203.0.113.7","gateway":"192.0.2.1","dev":"eth0","flags":[]},
                 {"dst":"10.201.0.0/30","dev":"rd-4","protocol":"kernel","scope":"link","flags":[]},
                 {"dst":"10.201.0.4/30","dev":"bridge0","flags":[]},
                 {"type":"blackhole","dst":"198.18.0.0/15","flags":[]},
                 {"type":"local","dst":"192.0.2.2","table":"local","dev":"eth0","protocol":"kernel","scope":"host","flags":[]},
                 {"type":"broadcast","dst":"192.0.2.255","table":"local","dev":"eth0","flags":[]},
                 {"dst":"192.0.2.0/24","dev":"eth0","table":"main","flags":[]}]
                """;
        assertEquals(List.of("192.0.2.0/24", "198.51.100.0/24", "172.17.0.0/16", "100.101.0.0/16", "203.0.113.7/32"),
                LanRoutes.parse(routes, JOBS).stream().map(Ipv4.Block::toString).toList());
    }

    @Test
    void noRoutesNoLan() throws Exception {
        assertEquals(List.of(), LanRoutes.parse("[]", JOBS));
    }
}
