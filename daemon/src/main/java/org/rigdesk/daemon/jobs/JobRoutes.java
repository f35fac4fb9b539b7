package org.rigdesk.daemon.jobs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobList;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.daemon.http.Exchange;
import org.rigdesk.daemon.http.Router;
import org.rigdesk.daemon.problems.DomainException;
import org.rigdesk.daemon.vm.ConsolePump;

/** The jobs endpoints, with the log streamed while the job runs. */
public final class JobRoutes {

    private static final int CHUNK = 256 * 1024;
    /** The most one read-back asks for: a view reads back a megabyte at a time. */
    static final long MAX_LIMIT = 16L << 20;

    private JobRoutes() {
    }

    public static void register(Router router, JobEngine engine) {
        router.add("GET", "/v1/jobs?state&limit", exchange -> {
            String state = exchange.query("state");
            if (state != null && !JobState.wires().contains(state)) {
                throw DomainException.invalid("state must be one of " + JobState.wires());
            }
            exchange.json(200, new JobList(engine.list(state, exchange.queryInt("limit", 50, 1, 1000))));
        });
        router.add("POST", "/v1/jobs", exchange -> exchange.json(201,
                engine.submit(exchange.body(JobRequest.class), exchange.peer().user(), "local")));
        router.add("GET", "/v1/jobs/{id}", exchange -> exchange.json(200, job(engine, exchange)));
        router.add("POST", "/v1/jobs/{id}/cancel", exchange -> exchange.json(200,
                engine.cancel(job(engine, exchange).id(), exchange.peer().user())));
        router.add("GET", "/v1/jobs/{id}/log?offset&follow&limit", exchange -> log(engine, exchange));
        router.add("GET", "/v1/jobs/{id}/network", exchange -> {
            long id = job(engine, exchange).id();
            exchange.json(200, engine.network(id).orElseThrow(() -> DomainException.notFound("no job " + id)));
        });
    }

    private static Job job(JobEngine engine, Exchange exchange) {
        String raw = exchange.path("id");
        long id;
        try {
            id = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw DomainException.invalid("a job id is a number, got " + DomainException.quote(raw));
        }
        if (id <= 0) {
            throw DomainException.invalid("a job id is a positive number");
        }
        return engine.get(id).orElseThrow(() -> DomainException.notFound("no job " + id));
    }

    /**
     * The log from {@code offset}; with {@code follow=true} it keeps streaming until the job ends;
     * with {@code limit}, at most that many bytes (a view reading back lines it did not keep).
     */
    private static void log(JobEngine engine, Exchange exchange) throws IOException, InterruptedException {
        Job job = job(engine, exchange);
        boolean follow = exchange.queryBoolean("follow");
        String offsetText = exchange.query("offset");
        long offset;
        try {
            offset = offsetText == null ? 0 : Long.parseLong(offsetText);
        } catch (NumberFormatException e) {
            throw DomainException.invalid("offset must be a byte offset, got '" + offsetText + "'");
        }
        if (offset < 0) {
            throw DomainException.invalid("offset must not be negative");
        }
        long end = limit(exchange.query("limit"), offset);
        Path file = engine.logFile(job.id());
        if (follow && !job.finished()) {
            exchange.startLongStream("text/plain; charset=utf-8");
        } else {
            exchange.startStream("text/plain; charset=utf-8");
        }
        byte[] buffer = new byte[CHUNK];
        RandomAccessFile in = null;
        try {
            while (true) {
                long seen = ConsolePump.GROWTH.generation();
                boolean finished = engine.get(job.id()).map(Job::finished).orElse(true);
                if (in == null && Files.exists(file)) {
                    in = new RandomAccessFile(file.toFile(), "r"); // kept open: no open per chunk
                }
                long size = in == null ? 0 : Math.min(in.length(), end);
                if (size > offset) {
                    in.seek(offset);
                    int read;
                    while (offset < size && (read = in.read(buffer, 0, (int) Math.min(buffer.length, size - offset))) > 0) {
                        exchange.writeChunk(buffer, read);
                        offset += read;
                    }
                    continue;
                }
                if (!follow || finished || offset >= end) {
                    break;
                }
                // Woken when a console pump wrote or a job ended; a look every 100 ms regardless,
                // for a log that something else appends to (a benchmark writing it directly).
                ConsolePump.GROWTH.awaitAfter(seen, 100);
            }
        } finally {
            if (in != null) {
                in.close();
            }
        }
        exchange.endStream(null);
    }

    /** The offset a {@code limit} stops at; no limit, no end. */
    private static long limit(String text, long offset) {
        if (text == null) {
            return Long.MAX_VALUE;
        }
        long limit;
        try {
            limit = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw DomainException.invalid("limit must be a number of bytes, got '" + text + "'");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw DomainException.invalid("limit must be 1 to " + MAX_LIMIT + " bytes, got " + limit);
        }
        return offset + limit;
    }
}
