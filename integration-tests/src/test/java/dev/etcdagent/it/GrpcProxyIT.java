package dev.etcdagent.it;

import dev.etcdagent.it.apps.ConfigApp;
import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.AgentTool;
import dev.etcdagent.it.launch.GrpcProxy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Through etcd's gRPC proxy, which a fleet puts per zone in front of the cluster: it serves no JSON
 * gateway, so the agent registers and reads through its gRPC session from the start, and says
 * nothing about it above DEBUG.
 */
class GrpcProxyIT extends AgentTestSupport {

    @Test
    void throughTheProxyTheJvmRegistersFollowsValuesAndConfirmsChanges() {
        GrpcProxy proxy = track(GrpcProxy.start(etcd));
        String service = newService();
        String config = "/config" + service;
        etcdctl.put(config + "/price", "7");

        AgentJvm jvm = start(AgentJvm.withAgent("service=" + service + ",endpoints=" + proxy.endpoint()
                + ",host=127.0.0.1,ttl=2,snapshot=off").main(ConfigApp.class).args("listen"));
        String port = jvm.stdout().await("LISTENING (\\d+)", WAIT);
        jvm.stdout().await("^(INITIAL|VALUE) price=7$", WAIT);
        await().atMost(WAIT).until(() -> etcdctl.get(service + "/127.0.0.1:" + port) != null);

        AgentTool.Result put = AgentTool.forEndpoints(proxy.endpoint()).run("put", service, "price", "8", "--wait", "20s");
        assertThat(put.exitStatus).as(put.toString()).isZero();
        jvm.stdout().await("VALUE price=8", WAIT);
        assertThat(jvm.stderr().text()).doesNotContain("ERROR", "lost connection", "cannot be read", "does not answer");
    }
}
