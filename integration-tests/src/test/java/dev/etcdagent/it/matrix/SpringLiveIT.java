package dev.etcdagent.it.matrix;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.AgentTool;
import dev.etcdagent.it.launch.FreePorts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16: with only {@code -javaagent}, a Spring Boot application's {@code @Value} fields and setters and its
 * JavaBean {@code @ConfigurationProperties} beans follow {@code {config}/{name}} live; one etcd revision reaches
 * every target together; a value that does not convert or validate changes nothing and is a rejection that the
 * operator's {@code put} reports; a delete restores what Spring resolves without etcd; a constructor-bound bean stays
 * as bound and the agent names it once. The same application ({@code apps/spring-live}) on Spring Boot 3.5 (JDK 17
 * and 25) and 4.0.
 */
class SpringLiveIT extends MatrixTestSupport {

    /** What {@code GET /live} shows without etcd: application.properties, and the placeholder defaults. */
    private static final Map<String, String> WITHOUT_ETCD = Map.of("enabled", "false",
            "banner", "Welcome_from_properties", "discount", "10", "items", "a|b", "window", "PT10S", "code", "c10",
            "region", "eu", "maxDiscount", "50", "fixed", "one");
    /** The live checks' puts, one target kind each: the @Value field and setter, JavaBean properties, nested too. */
    private static final List<Put> PUTS = List.of(
            new Put("promo.enabled", "true", "enabled", "true"),
            new Put("promo.banner", "Big sale", "banner", "Big_sale"),
            new Put("promo.discount", "25", "discount", "25"),
            new Put("promo.items", "x,y,z", "items", "x|y|z"),
            new Put("promo.window", "30s", "window", "PT30S"),
            new Put("promo.nested.code", "c25", "code", "c25"));
    private static final int FIRST_TRANSACTION = 30;
    private static final int TRANSACTIONS = 20;
    /** A backstop for the reader that hammers {@code /live} during the transactions; it normally stops far sooner. */
    private static final Duration READER_LIMIT = Duration.ofMinutes(2);
    private static final Duration TOOL_WAIT = Duration.ofSeconds(10);

    @Test
    void springBoot35BeansFollowEtcd() {
        checkLive(PackagedApps.springLive("Spring Boot 3.5 MVC fat jar, live @Value and @ConfigurationProperties",
                AgentJvm.javaBinary()));
    }

    @Test
    void springBoot35BeansFollowEtcdOnJdk25() {
        assumeThat(PackagedApps.java25()).as("Temurin 25 under /usr/lib/jvm").isPresent();
        checkLive(PackagedApps.springLive("Spring Boot 3.5 MVC fat jar on JDK 25, live @Value and"
                + " @ConfigurationProperties", PackagedApps.java25().orElseThrow()));
    }

    @Test
    void springBoot40BeansFollowEtcd() {
        checkLive(PackagedApps.spring4Live());
    }

    /** The checks in order, on one run with the agent, against one run without it. */
    private void checkLive(MatrixCase app) {
        FrameworkChecks.Run without = runWithoutAgent(app);
        String service = newService();
        String agentArgs = agentArgs(service, "labels=zone:eu");
        int port = FreePorts.next();
        AgentJvm jvm = start(app.launcher(agentArgs, port));
        app.awaitFirstAnswer(jvm, port, FrameworkChecks.WAIT);
        assertThat(live(app, port)).as("what %s shows at start, etcd holding nothing for it", app)
                .containsAllEntriesOf(WITHOUT_ETCD);

        String config = "/config" + service + "/";
        followsEachPut(app, port, config);
        scopedValuesReachTheBeans(app, port, service);
        constructorBoundBeanStaysAsBound(app, port, config, jvm);
        oneTransactionIsSeenWhole(app, port, config);
        badValuesChangeNothingAndAreRejected(app, port, service);
        deletesRestoreWhatSpringResolves(app, port, config);

        MatrixCase.sigtermToExitMillis(jvm, FrameworkChecks.WAIT);
        assertThat(jvm.waitForExit(FrameworkChecks.WAIT)).as("exit code, as without the agent")
                .isEqualTo(without.exitCode);
        assertThat(jvm.stderr().count(line -> line.startsWith("[etcd-agent]") && line.contains("FixedSettings")))
                .as("agent lines naming the constructor-bound FixedSettings (%s)", jvm.stderr().file()).isEqualTo(1);
        new FrameworkChecks(app, etcdctl, service, agentArgs, this::start).outputUnchanged(without, jvm);
    }

    /** The application without the agent: the reference for its output and exit code. */
    private FrameworkChecks.Run runWithoutAgent(MatrixCase app) {
        int port = FreePorts.next();
        AgentJvm jvm = start(app.launcher(null, port));
        long answer = app.awaitFirstAnswer(jvm, port, FrameworkChecks.WAIT);
        assertThat(live(app, port)).as("what %s shows without the agent", app).containsAllEntriesOf(WITHOUT_ETCD);
        long exit = MatrixCase.sigtermToExitMillis(jvm, FrameworkChecks.WAIT);
        return new FrameworkChecks.Run(jvm, answer, exit, jvm.waitForExit(FrameworkChecks.WAIT));
    }

    /** Each put shows within 1 s. */
    private static void followsEachPut(MatrixCase app, int port, String config) {
        for (Put put : PUTS) {
            etcdctl.put(config + put.name, put.value);
            awaitShown(app, port, put.token, put.shown);
        }
    }

    /** Issue 17: an override for the instance's label is what its beans see; abort brings the base value back. */
    private static void scopedValuesReachTheBeans(MatrixCase app, int port, String service) {
        AgentTool tool = AgentTool.forEndpoints(etcd.endpoint());
        AgentTool.Result other = tool.run("put", service, "promo.discount", "31", "--where", "zone=us");
        assertThat(other.exitStatus).as("no instance in the scope: %s", other).isEqualTo(4);
        AgentTool.Result eu = tool.run("put", service, "promo.discount", "32", "--where", "zone=eu",
                "--wait", TOOL_WAIT.toSeconds() + "s");
        assertThat(eu.exitStatus).as(eu.toString()).isZero();
        awaitShown(app, port, "discount", "32");
        AgentTool.Result abort = tool.run("abort", service, "promo.discount", "--wait", TOOL_WAIT.toSeconds() + "s");
        assertThat(abort.exitStatus).as(abort.toString()).isZero();
        awaitShown(app, port, "discount", "25");
    }

    /** The record keeps its value; the agent named it as not live, at start. */
    private static void constructorBoundBeanStaysAsBound(MatrixCase app, int port, String config, AgentJvm jvm) {
        jvm.stderr().await("^\\[etcd-agent\\] .* INFO .*FixedSettings", FrameworkChecks.WAIT);
        etcdctl.put(config + "fixed.level", "two");
        // Revisions apply in order: once this later put shows, the one before it has been handled.
        etcdctl.put(config + "promo.nested.region", "us");
        awaitShown(app, port, "region", "us");
        assertThat(live(app, port)).as("the constructor-bound FixedSettings after a put of fixed.level")
                .containsEntry("fixed", "one");
    }

    /**
     * Each transaction puts the two values of the bean's nested object, code cN and region rN: no answer of the
     * application may mix two transactions. (The bean is bound anew and its nested object replaced by one write;
     * the bean's own fields are written one after another, so a request that reads two of them while the agent's
     * thread is paused between its writes could see one of each: README, "Spring".)
     */
    private static void oneTransactionIsSeenWhole(MatrixCase app, int port, String config) {
        // A consistent start: the earlier checks left code and region from different puts.
        int first = FIRST_TRANSACTION - 1;
        etcdctl.putInOneTransaction(Map.of(config + "promo.nested.code", "c" + first,
                config + "promo.nested.region", "r" + first));
        awaitShown(app, port, "region", "r" + first);
        List<Map<String, String>> torn = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService readerThread = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> reads = readerThread.submit(() -> {
                long deadline = System.nanoTime() + READER_LIMIT.toNanos();
                int answers = 0;
                while (!done.get() && System.nanoTime() < deadline) {
                    Map<String, String> shown = live(app, port);
                    String code = shown.get("code");
                    if (!("r" + code.substring(1)).equals(shown.get("region"))) {
                        torn.add(shown);
                    }
                    answers++;
                }
                return answers;
            });
            int last = FIRST_TRANSACTION + TRANSACTIONS - 1;
            for (int n = FIRST_TRANSACTION; n <= last; n++) {
                etcdctl.putInOneTransaction(Map.of(config + "promo.nested.code", "c" + n,
                        config + "promo.nested.region", "r" + n));
            }
            awaitShown(app, port, "code", "c" + last);
            done.set(true);
            assertThat(answerCount(reads)).as("answers read during the transactions").isPositive();
            assertThat(torn).as("answers whose region is not r<n> for code c<n>: one transaction seen in part").isEmpty();
            assertThat(live(app, port)).containsEntry("region", "r" + last);
        } finally {
            done.set(true);
            readerThread.shutdownNow();
        }
    }

    /** A value that does not convert, then one over @Max(90): put exits 1 naming the property, nothing changes. */
    private static void badValuesChangeNothingAndAreRejected(MatrixCase app, int port, String service) {
        String instance = "127.0.0.1:" + port;
        String config = "/config" + service + "/";
        Map<String, String> before = live(app, port);

        AgentTool.Result notANumber = put(service, "promo.discount", "abc");
        assertThat(notANumber.exitStatus).as(notANumber.toString()).isEqualTo(1);
        assertThat(notANumber.stdout).as(notANumber.toString()).contains(config + "promo.discount");
        assertThat(notANumber.lines()).as(notANumber.toString()).anySatisfy(line -> assertThat(line)
                .contains("  " + instance + "  rejected: ").contains("discount"));
        assertThat(live(app, port)).as("after a discount that is not a number").isEqualTo(before);

        AgentTool.Result overMax = put(service, "limits.max-discount", "95");
        assertThat(overMax.exitStatus).as(overMax.toString()).isEqualTo(1);
        assertThat(overMax.stdout).as(overMax.toString()).contains(config + "limits.max-discount");
        assertThat(overMax.lines()).as(overMax.toString()).anySatisfy(line -> assertThat(line)
                .contains("  " + instance + "  rejected: ").containsAnyOf("maxDiscount", "max-discount"));
        assertThat(live(app, port)).as("after a maximum discount over @Max(90)").isEqualTo(before);

        // Exit 0 promises the instance has applied the value: no waiting before reading it.
        AgentTool.Result goodDiscount = put(service, "promo.discount", "35");
        assertThat(goodDiscount.exitStatus).as(goodDiscount.toString()).isZero();
        assertThat(live(app, port)).containsEntry("discount", "35");
        AgentTool.Result goodMax = put(service, "limits.max-discount", "80");
        assertThat(goodMax.exitStatus).as(goodMax.toString()).isZero();
        assertThat(live(app, port)).containsEntry("maxDiscount", "80");
    }

    /** application.properties' values for the @Value setter and the JavaBean, the placeholder default for the field. */
    private static void deletesRestoreWhatSpringResolves(MatrixCase app, int port, String config) {
        etcdctl.del(config + "promo.discount");
        awaitShown(app, port, "discount", WITHOUT_ETCD.get("discount"));
        etcdctl.del(config + "promo.banner");
        awaitShown(app, port, "banner", WITHOUT_ETCD.get("banner"));
        etcdctl.del(config + "promo.enabled");
        awaitShown(app, port, "enabled", WITHOUT_ETCD.get("enabled"));
    }

    private static AgentTool.Result put(String service, String name, String value) {
        return AgentTool.forEndpoints(etcd.endpoint()).run("put", service, name, value,
                "--wait", TOOL_WAIT.toSeconds() + "s");
    }

    private static void awaitShown(MatrixCase app, int port, String token, String value) {
        await(app + " showing " + token + "=" + value).atMost(FrameworkChecks.FOLLOW).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10)).until(() -> live(app, port).get(token), value::equals);
    }

    private static Map<String, String> live(MatrixCase app, int port) {
        try {
            return app.probe().values(port);
        } catch (Exception e) {
            throw new AssertionError(app + " did not answer on port " + port + ": " + e, e);
        }
    }

    private static int answerCount(Future<Integer> reads) {
        try {
            return reads.get(FrameworkChecks.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the reader of /live", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("the reader of /live failed: " + e, e);
        }
    }

    /** A put of {@code {config}/name}, and what the {@code /live} token then shows. */
    private static final class Put {
        final String name;
        final String value;
        final String token;
        final String shown;

        Put(String name, String value, String token, String shown) {
            this.name = name;
            this.value = value;
            this.token = token;
            this.shown = shown;
        }
    }
}
