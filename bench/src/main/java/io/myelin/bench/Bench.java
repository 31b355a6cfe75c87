package io.myelin.bench;

import io.myelin.bench.agent.RelayWorkload;
import io.myelin.bench.agent.WakeBurstWorkload;
import io.myelin.bench.agent.WakeWorkload;
import io.myelin.bench.http.Endpoint;
import io.myelin.bench.intent.IntentsWorkload;
import io.myelin.bench.list.ListWorkload;
import io.myelin.bench.http.HttpConnection;
import io.myelin.bench.probe.ServerProbe;
import io.myelin.bench.sql.SqlWorkload;
import io.myelin.bench.webhook.WebhookWorkload;
import io.myelin.bench.workload.BatchWorkload;
import io.myelin.bench.workload.CompareWorkload;
import io.myelin.bench.workload.IdleSseWorkload;
import io.myelin.bench.workload.LatencyWorkload;
import io.myelin.bench.workload.PublishWorkload;
import io.myelin.bench.workload.RedisWorkload;
import io.myelin.bench.workload.ReplayWorkload;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Load generator for a running Myelin server (and a Redis peer). It starts nothing: point it at
 * a server with {@code --url} and {@code --key}; {@code bench/run.sh} does the orchestration.
 */
public final class Bench {
    private static final String USAGE = """
            usage: java -jar myelin-bench.jar <workload> [options]

            workloads
              publish   --publishers 1,16,64 --seconds 10 --payload-bytes 128 [--warmup-seconds 3 --server-pid PID]
              redis     --publishers 1,16,64 --seconds 10 --payload-bytes 128 [--redis-host 127.0.0.1 --redis-port 6379]
              compare   publish and redis back to back per concurrency, with the ratio ours/redis
                        (options of both; --server-pid meters server CPU, Redis's pid is asked of Redis)
              batch     --publishers 1,4 --batch-size 1000 --seconds 10 --payload-bytes 128 [--server-pid PID]
              latency   --rate 1000 --subscribers 1,10,100 --seconds 10 [--publish-connections 16 --drain-seconds 10]
              replay    --events 100000 [--batch-size 1000 --payload-bytes 128]
              idle-sse  --subscribers 10000 [--axons N --hold-seconds 5 --server-pid PID --jcmd PATH --open-concurrency 200
                        --class-histogram ROWS]
              sql       --rows 10000 --seconds 10 --insert-clients 1,4 --batch-statements 100 --axons 10000 --clients 10
                        [--warmup-seconds 3 --axon-rows 10 --value-bytes 100 --setup-connections 32 --open-cap 1000
                        --cold-samples 1000 --server-pid PID]   (--open-cap: the server's MYELIN_SQL_MAX_OPEN_DATABASES)
              list      --axons 100000 --limits 100,1000 [--connections 32]
              intents   --parts waiting,timers,polls --intents 100000 --timers 10000 --polls 10000
                        [--axons 100 --timer-axons 10 --poll-axons 100 --timer-spread 10s --timer-lead auto
                        --poll-wait 60s --connections 16 --server-pid PID --jcmd PATH --class-histogram ROWS]
              webhooks  --events 5000 --webhooks 1,4,16 [--batch-size 1000 --payload-bytes 128 --deadline-seconds 600]
                        (the server needs MYELIN_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true: the receiver is on loopback)
              wake      --agent NAME --modes running,frozen,shutdown --samples 100 --shutdown-samples 50
                        [--agent-command "NODE SCRIPT" --startup-samples 30 --warmup-turns 3 --idle-seconds 1
                        --cancel-turns --server-pid PID]   (NAME: a key of the server's agents.binaries)
              wake-burst --agent NAME --devboxes 100 --server-pid PID [--setup-concurrency 8 --cancel-turns]
              relay     --agent NAME --agent-command "NODE SCRIPT" --chunks 20000 [--rounds 3 --batch-size 500
                        --publishers 16 --single-events 5000 --server-pid PID]   (the agent must understand [chunks N]: acp-agent.mjs)

            common options
              --url http://127.0.0.1:8080   server base URL
              --key KEY                     admin key (default: $MYELIN_ADMIN_KEY)

            helpers for scripts
              free-port                     print a free TCP port on 127.0.0.1
              wait-healthy --url U [--timeout-seconds 60]
            """;

    private Bench() {}

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("help")) {
            System.out.print(USAGE);
            return;
        }
        String command = argv[0];
        Args args = new Args(Arrays.asList(argv).subList(1, argv.length));
        try {
            run(command, args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }
    }

    static void run(String command, Args args, PrintStream out) throws Exception {
        switch (command) {
            case "publish" -> {
                PublishWorkload.Settings s = publishSettings(args);
                args.rejectUnknown();
                PublishWorkload.run(s, out);
            }
            case "redis" -> {
                RedisWorkload.Settings s = redisSettings(args);
                args.rejectUnknown();
                RedisWorkload.run(s, out);
            }
            case "compare" -> {
                PublishWorkload.Settings ours = publishSettings(args);
                RedisWorkload.Settings redis = redisSettings(args);
                args.rejectUnknown();
                CompareWorkload.run(ours, redis, out);
            }
            case "batch" -> {
                BatchWorkload.Settings s = new BatchWorkload.Settings(endpoint(args), args.intList("publishers", "1,4"),
                        args.integer("batch-size", 1000), seconds(args), warmup(args), args.integer("payload-bytes", 128),
                        args.longValue("server-pid", -1));
                args.rejectUnknown();
                BatchWorkload.run(s, out);
            }
            case "latency" -> {
                LatencyWorkload.Settings s = new LatencyWorkload.Settings(endpoint(args), args.integer("rate", 1000),
                        args.intList("subscribers", "1,10,100"), seconds(args), args.integer("payload-bytes", 128),
                        args.integer("publish-connections", 16), args.duration("drain-seconds", "10"));
                args.rejectUnknown();
                LatencyWorkload.run(s, out);
            }
            case "replay" -> {
                ReplayWorkload.Settings s = new ReplayWorkload.Settings(endpoint(args), args.integer("events", 100_000),
                        args.integer("batch-size", 1000), args.integer("payload-bytes", 128));
                args.rejectUnknown();
                ReplayWorkload.run(s, out);
            }
            case "idle-sse" -> {
                int subscribers = args.integer("subscribers", 10_000);
                IdleSseWorkload.Settings s = new IdleSseWorkload.Settings(endpoint(args), subscribers,
                        args.integer("axons", Math.max(1, subscribers / 100)), args.duration("hold-seconds", "5"),
                        args.longValue("server-pid", -1), Path.of(args.string("jcmd", ServerProbe.defaultJcmd().toString())),
                        args.integer("open-concurrency", 200), args.integer("class-histogram", 0));
                args.rejectUnknown();
                IdleSseWorkload.run(s, out);
            }
            case "sql" -> {
                SqlWorkload.Settings s = new SqlWorkload.Settings(endpoint(args), args.integer("rows", 10_000), seconds(args),
                        warmup(args), args.intList("insert-clients", "1,4"), args.integer("batch-statements", 100),
                        args.integer("value-bytes", 100), args.integer("axons", 10_000), args.integer("axon-rows", 10),
                        args.integer("clients", 10), args.integer("setup-connections", 32), args.integer("open-cap", 1000),
                        args.integer("cold-samples", 1000), args.longValue("server-pid", -1));
                args.rejectUnknown();
                SqlWorkload.run(s, out);
            }
            case "list" -> {
                ListWorkload.Settings s = new ListWorkload.Settings(endpoint(args), args.integer("axons", 100_000),
                        args.integer("connections", 32), args.intList("limits", "100,1000"));
                args.rejectUnknown();
                ListWorkload.run(s, out);
            }
            case "intents" -> {
                String lead = args.string("timer-lead", "auto");
                IntentsWorkload.Settings s = new IntentsWorkload.Settings(endpoint(args),
                        List.of(args.string("parts", "waiting,timers,polls").split(",")), args.integer("intents", 100_000),
                        args.integer("axons", 100), args.integer("timers", 10_000), args.integer("timer-axons", 10),
                        args.duration("timer-spread", "10"), lead.equals("auto") ? null : Args.parseDuration(lead),
                        args.integer("polls", 10_000), args.integer("poll-axons", 100), args.duration("poll-wait", "60"),
                        args.integer("connections", 16), args.longValue("server-pid", -1),
                        Path.of(args.string("jcmd", ServerProbe.defaultJcmd().toString())), args.integer("class-histogram", 0));
                args.rejectUnknown();
                IntentsWorkload.run(s, out);
            }
            case "webhooks" -> {
                WebhookWorkload.Settings s = new WebhookWorkload.Settings(endpoint(args), args.integer("events", 5_000),
                        args.intList("webhooks", "1,4,16"), args.integer("batch-size", 1000),
                        args.integer("payload-bytes", 128), args.longValue("deadline-seconds", 600));
                args.rejectUnknown();
                WebhookWorkload.run(s, out);
            }
            case "wake" -> {
                WakeWorkload.Settings s = new WakeWorkload.Settings(endpoint(args), args.string("agent", "acp"),
                        command(args), List.of(args.string("modes", "running,frozen,shutdown").split(",")),
                        args.integer("samples", 100), args.integer("shutdown-samples", 50), args.integer("warmup-turns", 3),
                        args.integer("idle-seconds", 1), args.flag("cancel-turns"), args.integer("startup-samples", 30),
                        args.longValue("server-pid", -1));
                args.rejectUnknown();
                WakeWorkload.run(s, out);
            }
            case "wake-burst" -> {
                WakeBurstWorkload.Settings s = new WakeBurstWorkload.Settings(endpoint(args), args.string("agent", "acp"),
                        args.integer("devboxes", 100), args.integer("setup-concurrency", 8), args.flag("cancel-turns"),
                        args.longValue("server-pid", -1));
                args.rejectUnknown();
                WakeBurstWorkload.run(s, out);
            }
            case "relay" -> {
                RelayWorkload.Settings s = new RelayWorkload.Settings(endpoint(args), args.string("agent", "acp"),
                        command(args), args.integer("chunks", 20_000), args.integer("rounds", 3),
                        args.integer("batch-size", 500), args.integer("publishers", 16), args.integer("single-events", 5000),
                        args.longValue("server-pid", -1));
                args.rejectUnknown();
                if (s.agentCommand().isEmpty()) throw new IllegalArgumentException("relay needs --agent-command");
                RelayWorkload.run(s, out);
            }
            case "free-port" -> {
                args.rejectUnknown();
                try (ServerSocket socket = new ServerSocket()) {
                    socket.bind(new InetSocketAddress("127.0.0.1", 0));
                    out.println(socket.getLocalPort());
                }
            }
            case "wait-healthy" -> {
                Endpoint e = Endpoint.of(args.string("url", "http://127.0.0.1:8080"), null);
                Duration timeout = args.duration("timeout-seconds", "60");
                args.rejectUnknown();
                waitHealthy(e, timeout);
            }
            default -> throw new IllegalArgumentException("unknown workload: " + command);
        }
    }

    private static PublishWorkload.Settings publishSettings(Args args) {
        return new PublishWorkload.Settings(endpoint(args), args.intList("publishers", "1,16,64"), seconds(args),
                warmup(args), args.integer("payload-bytes", 128), args.longValue("server-pid", -1));
    }

    private static RedisWorkload.Settings redisSettings(Args args) {
        return new RedisWorkload.Settings(args.string("redis-host", "127.0.0.1"), args.integer("redis-port", 6379),
                args.intList("publishers", "1,16,64"), seconds(args), warmup(args), args.integer("payload-bytes", 128));
    }

    /** {@code --agent-command "node /path/agent.js"}: words separated by spaces (paths without spaces). */
    private static List<String> command(Args args) {
        String c = args.string("agent-command", "").trim();
        return c.isEmpty() ? List.of() : List.of(c.split("\\s+"));
    }

    private static Endpoint endpoint(Args args) {
        String key = args.string("key", System.getenv("MYELIN_ADMIN_KEY"));
        return Endpoint.of(args.string("url", "http://127.0.0.1:8080"), key);
    }

    private static Duration seconds(Args args) {
        return args.duration("seconds", "10");
    }

    private static Duration warmup(Args args) {
        return args.duration("warmup-seconds", "3");
    }

    private static void waitHealthy(Endpoint endpoint, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try (HttpConnection http = new HttpConnection(endpoint)) {
                int status = http.get("/healthz").status();
                if (status == 200) return;
                last = "status " + status;
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        System.err.println("server not healthy after " + timeout.toSeconds() + " s: " + last);
        System.exit(1);
    }
}
