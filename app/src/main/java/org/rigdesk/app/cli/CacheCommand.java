package org.rigdesk.app.cli;

import java.util.concurrent.Callable;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.wire.CacheInfo;
import org.rigdesk.api.wire.CacheList;
import org.rigdesk.app.format.ByteSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rigdesk cache ls} and {@code rigdesk cache clear NAME}. */
@Command(name = "cache", mixinStandardHelpOptions = true, description = "The persistent caches jobs mount at /cache.",
        subcommands = {CacheCommand.Ls.class, CacheCommand.Clear.class})
public class CacheCommand {

    @ParentCommand
    RigdeskCommand parent;

    static String render(CacheList list) {
        if (list.caches().isEmpty()) {
            return "No caches yet: run a job with --cache NAME --cache-write to make one.\n";
        }
        Table table = new Table("NAME", "SIZE", "CAP", "LAST USED", "LAST COMMIT", "IN USE BY", "HITS", "RECENT JOBS");
        for (CacheInfo cache : list.caches()) {
            table.row(cache.name(), ByteSize.human(cache.sizeBytes()), ByteSize.human(cache.capBytes()),
                    cache.lastUsed() == null ? "never" : cache.lastUsed(),
                    cache.lastCommitJob() == null ? "never" : "job " + cache.lastCommitJob(),
                    cache.inUseBy().isEmpty() ? "-" : cache.inUseBy().toString(),
                    cache.hits() + cache.misses() == 0 ? "-" : cache.hits() + "/" + (cache.hits() + cache.misses()),
                    cache.recent().stream().limit(5).map(CacheCommand::use).toList());
        }
        return table.toString();
    }

    /** "14 hit discarded" or "12 miss committed 1.4 GB": the job, whether it found a kept cache, what it wrote. */
    private static String use(CacheInfo.Use use) {
        String found = use.warm() == null ? "" : use.hit() ? " hit" : " miss";
        String wrote = use.writtenBytes() == null ? "" : " " + ByteSize.human(use.writtenBytes());
        return use.jobId() + found + " " + use.outcome() + wrote;
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "Every cache: size, cap, use and commits.")
    static class Ls implements Callable<Integer> {
        @ParentCommand
        CacheCommand cache;

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print the daemon's JSON answer.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (RigdeskApi client = cache.parent.client()) {
                CacheList list = new CacheList(client.caches());
                RigdeskCommand.print(spec, json, list, () -> render(list));
            }
            return 0;
        }
    }

    @Command(name = "clear", mixinStandardHelpOptions = true,
            description = "Delete a cache (refused while a job uses it); the next job that names it starts empty.")
    static class Clear implements Callable<Integer> {
        @ParentCommand
        CacheCommand cache;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            if (!CacheInfo.NAME.matcher(name).matches()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "not a cache name: '" + name + "' (see 'rigdesk cache ls')");
            }
            try (RigdeskApi client = cache.parent.client()) {
                client.clearCache(name);
                spec.commandLine().getOut().println("cleared cache " + name);
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }
}
