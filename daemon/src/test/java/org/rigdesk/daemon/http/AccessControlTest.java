package org.rigdesk.daemon.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.testkit.DaemonProcess;

/**
 * Access with real users, created for the test: the socket is root:rdt-read 0660; changes need
 * root or rdt-admin. An outsider cannot connect; a reader reads but every change is a 403 and an
 * audit entry; an admin changes. The clients run as those users through setpriv.
 */
class AccessControlTest {

    private static final String READ = "rdt-read";
    private static final String ADMIN = "rdt-admin";
    private static final List<String> USERS = List.of("rdt-outsider", "rdt-reader", "rdt-adminuser");
    private static Path dir;

    @BeforeAll
    static void users() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "creating users needs root");
        removeUsers();
        run("groupadd", "--system", READ);
        run("groupadd", "--system", ADMIN);
        run("useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "rdt-outsider");
        run("useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "-G", READ,
                "rdt-reader");
        run("useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "-G",
                READ + "," + ADMIN, "rdt-adminuser");
        // Other users must reach the socket's directory; the state stays root's.
        dir = Files.createTempDirectory("rigdesk-access");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if ("root".equals(System.getProperty("user.name"))) {
            removeUsers();
        }
    }

    private static void removeUsers() throws Exception {
        for (String user : USERS) {
            new ProcessBuilder("userdel", user).start().waitFor();
        }
        for (String group : List.of(READ, ADMIN)) {
            new ProcessBuilder("groupdel", group).start().waitFor();
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    /** curl as {@code user}: "HTTP_CODE BODY", or "exit N" when it cannot connect. */
    private static String as(String user, Path socket, String method, String path, String body) throws Exception {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + user,
                "--init-groups", "curl", "-s", "-X", method, "--unix-socket", socket.toString(), "-w", "%{http_code}",
                "-o", "-"));
        if (body != null) {
            command.addAll(List.of("-H", "Content-Type: application/json", "--data", body));
        }
        command.add("http://rigdesk" + path);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = process.waitFor();
        if (code != 0) {
            return "exit " + code;
        }
        return out.substring(out.length() - 3) + " " + out.substring(0, out.length() - 3);
    }

    @Test
    void outsidersCannotConnectReadersOnlyReadAdminsChange() throws Exception {
        Path socket = dir.resolve("rigdeskd.sock");
        try (DaemonProcess daemon = new DaemonProcess(socket, dir.resolve("state"), dir.resolve("sys"), List.of(
                "--socket-group", READ, "--admin-group", ADMIN)).simulate("desktop").start();
             DaemonClient root = daemon.client()) {
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals("exit 7", as("rdt-outsider", socket, "GET", "/v1/info", null), "cannot even connect");

            assertTrue(as("rdt-reader", socket, "GET", "/v1/gpus", null).startsWith("200 "));
            String refused = as("rdt-reader", socket, "PUT", "/v1/gpus/0000:01:00.0/mode", "{\"mode\":\"vfio\"}");
            assertTrue(refused.startsWith("403 ") && refused.contains("problems/forbidden")
                    && refused.contains("usermod -aG rdt-admin rdt-reader"), refused);
            assertTrue(as("rdt-reader", socket, "POST", "/v1/jobs", "{\"script\":\"true\"}").startsWith("403 "));
            assertTrue(as("rdt-reader", socket, "PUT", "/v1/settings", "{}").startsWith("403 "));
            assertTrue(as("rdt-reader", socket, "DELETE", "/v1/runner", null).startsWith("403 "));
            assertEquals(GpuMode.HOST.wire(), root.get("/v1/gpus/0000:01:00.0", Gpu.class).mode(), "nothing changed");
            String audit = root.getText("/v1/audit");
            assertTrue(audit.contains("\"caller\":\"rdt-reader\"") && audit.contains("api.forbidden"), audit);

            // One user's connections are capped, so a runaway script cannot starve everyone else.
            String flood = run("setpriv", "--reuid=rdt-reader", "--regid=rdt-reader", "--init-groups", "/usr/bin/python3", "-c",
                    "import socket,sys,time\n"
                    + "held=[]\n"
                    + "for i in range(" + (PeerConnections.LIMIT + 20) + "):\n"
                    + "  s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); held.append(s)\n"
                    + "time.sleep(0.5)\nserved=0\n"
                    + "for s in held:\n"
                    + "  try:\n"
                    + "    s.settimeout(5); s.sendall(b'GET /v1/info HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n')\n"
                    + "    served+= s.recv(12).startswith(b'HTTP/1.1 200')\n"
                    + "  except OSError: pass\n"
                    + "print(served)\n", socket.toString());
            assertEquals(PeerConnections.LIMIT, Integer.parseInt(flood.strip()), "connections beyond the cap are closed");
            assertTrue(as("rdt-adminuser", socket, "GET", "/v1/info", null).startsWith("200 "), "others are served");

            // Streams hold a thread each: 300 of one user get their share, the rest a 429 saying why
            // (or, past the connection cap, no connection), and another user still gets answers and a stream.
            Process holder = new ProcessBuilder("setpriv", "--reuid=rdt-reader", "--regid=rdt-reader", "--init-groups",
                    "/usr/bin/python3", "-c", "import socket,sys,collections,time\n"
                    + "held=[];seen=collections.Counter()\n"
                    + "for i in range(300):\n"
                    + "  try:\n"
                    + "    s=socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect(sys.argv[1]); held.append(s)\n"
                    + "    s.sendall(b'GET /v1/events HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n')\n"
                    + "    head=s.recv(4096)\n"
                    + "    code=head[9:12].decode() or 'closed'\n"
                    + "    seen[code]+=1\n"
                    + "    if code=='429':\n"
                    + "      while b'}' not in head: head+=s.recv(4096)\n"
                    + "      if b'rdt-reader already holds 16' not in head: seen['unexplained']+=1\n"
                    + "  except OSError: seen['closed']+=1\n"
                    + "print(seen['200'], seen['429'], seen['closed'], seen['unexplained'], flush=True)\n"
                    + "time.sleep(60)\n", socket.toString()).redirectErrorStream(true).start();
            try {
                String counts = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream(),
                        StandardCharsets.UTF_8)).readLine();
                assertEquals(StreamSlots.PER_USER + " " + (PeerConnections.LIMIT - StreamSlots.PER_USER) + " "
                        + (300 - PeerConnections.LIMIT) + " 0", counts, "streams held, refused, not connected, unexplained");
                assertTrue(as("rdt-adminuser", socket, "GET", "/v1/info", null).startsWith("200 "),
                        "another user is answered while the streams are held");
                assertTrue(as("rdt-adminuser", socket, "GET", "/v1/jobs/1/log?follow=true", null).startsWith("404 "),
                        "and reaches the streaming endpoints");
            } finally {
                holder.destroyForcibly().waitFor();
            }

            String changed = as("rdt-adminuser", socket, "PUT", "/v1/gpus/0000:01:00.0/mode", "{\"mode\":\"vfio\"}");
            assertTrue(changed.startsWith("200 "), changed);
            assertEquals(GpuMode.VFIO.wire(), root.get("/v1/gpus/0000:01:00.0", Gpu.class).mode());
        }
    }

    @Test
    void theGroupDatabaseIsParsedAsEtcGroupWritesIt() {
        List<String> lines = List.of("root:x:0:", "rigdesk:x:998:alice,bob", "rigdesk-ro:x:997:carol");
        assertEquals(List.of("alice", "bob"), AccessPolicy.parse(lines, "rigdesk"));
        assertEquals(List.of(), AccessPolicy.parse(lines, "root"));
        assertEquals(List.of(), AccessPolicy.parse(lines, "missing"));
    }
}
