package dev.etcdagent.it.demo;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.AgentTool;
import dev.etcdagent.it.launch.EtcdServer;
import dev.etcdagent.it.launch.Etcdctl;
import org.awaitility.Awaitility;

/**
 * The original design's story, step by step, one plain line per step: b registers, two instances
 * of a discover b and answer with b's address and their switch, an operator lists a's instances and
 * flips the switch with the agent jar's tool, which waits until each instance confirms; b is
 * killed and a notices. Everything started is stopped at the end, and on Ctrl-C.
 */
public final class Demo {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int TTL = 2;
    private static final int A_INSTANCES = 2;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Consumer<String> out;

    private Demo(Consumer<String> out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Demo demo = new Demo(System.out::println);
        Runtime.getRuntime().addShutdownHook(new Thread(demo::stopAll, "demo-cleanup"));
        demo.run();
        demo.stopAll();
    }

    /** Tells the story to {@code out}, line by line, and stops everything it started. */
    public static void tell(Consumer<String> out) throws Exception {
        Demo demo = new Demo(out);
        try {
            demo.run();
        } finally {
            demo.stopAll();
        }
    }

    private void run() throws Exception {
        EtcdServer etcd = track(EtcdServer.start());
        Etcdctl etcdctl = Etcdctl.forServer(etcd);
        AgentTool tool = AgentTool.forEndpoints(etcd.endpoint());
        say("etcd      started at " + etcd.endpoint() + " (data in " + etcd.baseDir() + ")");

        AgentJvm b = track(AgentJvm.withAgent(agentArgs(etcd, "/service/b")).main(ServiceB.class).start());
        String bPort = b.stdout().await("LISTENING (\\d+)", WAIT);
        say("b         started: a plain HTTP server on port " + bPort + ", no annotations, only -javaagent");
        Map<String, String> registered = Awaitility.await().atMost(WAIT)
                .until(() -> etcdctl.getPrefix("/service/b/"), map -> !map.isEmpty());
        Map.Entry<String, String> entry = registered.entrySet().iterator().next();
        say("b         registered itself: " + entry.getKey() + " = " + entry.getValue());

        List<String> aPorts = new ArrayList<>();
        for (int i = 0; i < A_INSTANCES; i++) {
            AgentJvm a = track(AgentJvm.withAgent(agentArgs(etcd, "/service/a")).main(ServiceA.class).start());
            aPorts.add(a.stdout().await("LISTENING (\\d+)", WAIT));
        }
        say("a         started twice, on ports " + String.join(" and ", aPorts) + ", with @Discover(\"/service/b\")"
                + " String b and @Dynamic(\"promo.enabled\") boolean promo");
        for (String aPort : aPorts) {
            String answer = Awaitility.await().atMost(WAIT).until(() -> get(aPort), body -> body.contains(bPort));
            say("a         GET http://127.0.0.1:" + aPort + "/ -> " + answer);
        }

        // Steady state: both instances are connected, watching, and listed by their status records.
        Awaitility.await().atMost(WAIT).until(() -> etcdctl.getPrefix("/etcd-agent/status/service/a/").size(),
                count -> count == A_INSTANCES);
        operator(tool, "status", "/service/a");
        AgentTool.Result put = operator(tool, "put", "/service/a", "promo.enabled", "true");
        if (put.exitStatus != 0) {
            throw new IllegalStateException("the put was not confirmed by every instance: " + put);
        }
        for (String aPort : aPorts) {
            say("a         GET http://127.0.0.1:" + aPort + "/ -> " + get(aPort) + " (no restart)");
        }

        say("operator  kill -9 b (pid " + b.pid() + "); its lease has a " + TTL + " s TTL");
        long killed = System.nanoTime();
        b.kill9();
        String first = aPorts.get(0);
        String answer = Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(10))
                .until(() -> get(first), body -> !body.contains(bPort));
        say("a         noticed b is gone " + millisSince(killed) + " ms later: GET / -> " + answer);

        say("done      stopping a, b and etcd");
    }

    /** Runs the operator's tool and shows its command line and its output. */
    private AgentTool.Result operator(AgentTool tool, String... args) {
        say("operator  java -jar etcd-agent.jar " + String.join(" ", args));
        AgentTool.Result result = tool.run(args);
        for (String line : result.lines()) {
            say("          " + line);
        }
        return result;
    }

    private static String agentArgs(EtcdServer etcd, String service) {
        return "service=" + service + ",endpoints=" + etcd.endpoint() + ",host=127.0.0.1,ttl=" + TTL + ",snapshot=off";
    }

    private static String get(String port) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/").openConnection();
        connection.setConnectTimeout(5000);
        connection.setReadTimeout(5000);
        try {
            return new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } finally {
            connection.disconnect();
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private <T extends AutoCloseable> T track(T resource) {
        synchronized (started) {
            started.add(resource);
        }
        return resource;
    }

    private void stopAll() {
        List<AutoCloseable> all;
        synchronized (started) {
            all = new ArrayList<>(started);
            started.clear();
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                all.get(i).close();
            } catch (Exception ignored) {
                // keep stopping the rest
            }
        }
    }

    private void say(String line) {
        out.accept(line);
    }
}
