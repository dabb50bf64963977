package dev.etcdagent.it.matrix;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.etcdagent.it.launch.FreePorts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 9: a real Go gRPC client (grpc-go with etcd's own resolver) resolves the registrations of two
 * grpc-java servers started with the agent, with {@code round_robin} (which hashes each address, and
 * panics on a JSON object in Metadata) and with {@code pick_first}. The target is {@code etcd:///} followed
 * by the service key, so four slashes for a key starting with {@code /}.
 */
class GoGrpcClientIT extends MatrixTestSupport {

    private static final Pattern SERVER = Pattern.compile("\\bserver=(\\d+)\\b");
    private static GoGrpcClient client;

    @BeforeAll
    static void buildGoClient() throws Exception {
        client = GoGrpcClient.build();
    }

    @Test
    void roundRobinSpreadsCallsOverEveryRegisteredServer() throws Exception {
        String service = newService();
        List<Integer> ports = startTwoGrpcServers(service);

        // A server's connection may become ready a little after the other's: call until both have answered.
        GoGrpcClient.Result result = client.callUntilServers(etcd.endpoint(), service, "round_robin", 2);

        assertThat(result.exitCode).as("go client: %s", result).isZero();
        assertThat(servers(result)).as("servers that answered: %s", result).containsExactlyInAnyOrderElementsOf(ports);
    }

    @Test
    void pickFirstSticksToOneRegisteredServer() throws Exception {
        String service = newService();
        List<Integer> ports = startTwoGrpcServers(service);

        GoGrpcClient.Result result = client.call(etcd.endpoint(), service, "pick_first", 20);

        assertThat(result.exitCode).as("go client: %s", result).isZero();
        assertThat(result.lines).as("replies: %s", result).hasSize(20);
        assertThat(servers(result)).as("servers that answered: %s", result).hasSize(1).isSubsetOf(ports);
    }

    private List<Integer> startTwoGrpcServers(String service) {
        List<Integer> ports = List.of(FreePorts.next(), FreePorts.next());
        for (int port : ports) {
            // The address given outright: this test is about the value's format, not about detecting the bind.
            start(MatrixApps.GRPC.launcher(agentArgs(service, "address=127.0.0.1:" + port), port));
        }
        await("both gRPC servers registered under " + service).atMost(FrameworkChecks.WAIT)
                .until(() -> etcdctl.getPrefix(service + "/").size() == 2);
        return ports;
    }

    private static Set<Integer> servers(GoGrpcClient.Result result) {
        return result.lines.stream().map(SERVER::matcher).filter(Matcher::find)
                .map(matcher -> Integer.parseInt(matcher.group(1))).collect(Collectors.toSet());
    }
}
