package org.rigdesk.app.contexts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rigdesk.api.wire.Json;

/**
 * The owner's contexts, in {@code $XDG_CONFIG_HOME/rigdesk/contexts.json} (~/.config when unset):
 * the rigs by name and which one commands use. The file holds no secret: ssh's keys, agent and
 * known_hosts stay ssh's. Written whole through a temporary file, so a crash leaves the old list.
 */
public final class ContextStore {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Saved(String current, List<RigContext> contexts) {
        Saved {
            contexts = contexts == null ? List.of() : List.copyOf(contexts);
        }
    }

    private final Path file;

    public ContextStore(Path file) {
        this.file = file;
    }

    /** The store of the user whose environment this is. */
    public static ContextStore of(Map<String, String> env) {
        String config = env.get("XDG_CONFIG_HOME");
        Path base = config != null && !config.isBlank() ? Path.of(config)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return new ContextStore(base.resolve("rigdesk").resolve("contexts.json"));
    }

    public Path file() {
        return file;
    }

    /** Every context, {@code local} first. */
    public List<RigContext> list() throws IOException {
        List<RigContext> all = new ArrayList<>();
        all.add(RigContext.local());
        all.addAll(read().contexts());
        return all;
    }

    public Optional<RigContext> get(String name) throws IOException {
        return list().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The context commands use when none is named ({@code local} until one is chosen). */
    public String current() throws IOException {
        String current = read().current();
        return current == null ? RigContext.LOCAL : current;
    }

    public RigContext add(String name, String endpoint) throws IOException {
        RigContext.checkName(name);
        if (RigContext.LOCAL.equals(name)) {
            throw new IllegalArgumentException("'local' is this machine's daemon: pick another name");
        }
        Saved saved = read();
        if (saved.contexts().stream().anyMatch(c -> c.name().equals(name))) {
            throw new IllegalArgumentException("a context named '" + name + "' exists: remove it first");
        }
        RigContext context = new RigContext(name, endpoint);
        List<RigContext> next = new ArrayList<>(saved.contexts());
        next.add(context);
        write(new Saved(saved.current(), next));
        return context;
    }

    /** Removes a context; when it was the current one, {@code local} is current again. */
    public void remove(String name) throws IOException {
        if (RigContext.LOCAL.equals(name)) {
            throw new IllegalArgumentException("'local' is this machine's daemon and cannot be removed");
        }
        Saved saved = read();
        if (saved.contexts().stream().noneMatch(c -> c.name().equals(name))) {
            throw new IllegalArgumentException(unknown(name));
        }
        write(new Saved(name.equals(saved.current()) ? null : saved.current(),
                saved.contexts().stream().filter(c -> !c.name().equals(name)).toList()));
    }

    public void use(String name) throws IOException {
        if (get(name).isEmpty()) {
            throw new IllegalArgumentException(unknown(name));
        }
        Saved saved = read();
        write(new Saved(RigContext.LOCAL.equals(name) ? null : name, saved.contexts()));
    }

    /** What a name that is not on the list gets told (the CLI and the window say it alike). */
    public static String unknown(String name) {
        return "no context named " + SshEndpoint.quoted(name) + "; rigdesk context ls lists them";
    }

    private Saved read() throws IOException {
        if (!Files.exists(file)) {
            return new Saved(null, List.of());
        }
        try {
            return Json.mapper().readValue(file.toFile(), Saved.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(file + " is not a context list Rigdesk can read (" + e.getMessage()
                    + "); fix or remove it", e);
        }
    }

    private void write(Saved saved) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".new");
        Files.write(temp, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(saved));
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
