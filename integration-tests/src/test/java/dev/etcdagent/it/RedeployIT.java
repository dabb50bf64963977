package dev.etcdagent.it;

import dev.etcdagent.it.apps.RedeployApp;
import dev.etcdagent.it.launch.AgentJvm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 8: redeploying a web application frees its class loader, and later changes reach the live copy only. */
class RedeployIT extends AgentTestSupport {

    @Test
    void anUndeployedLoaderIsCollectedAndAPutAfterwardsIsAppliedOnce() {
        String service = newService();
        String key = "/config" + service + "/redeploy.value";
        etcdctl.put(key, "from-etcd");
        etcdctl.put("/config" + service + "/redeploy.mode", "ON");
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service)).main(RedeployApp.class));

        jvm.stdout().await("DEPLOYED 1 value=from-etcd ON 0", WAIT);
        // Its field bindings, listeners and converters held by the agent would keep it reachable.
        jvm.stdout().await("^(NOT )?COLLECTED$", WAIT);
        assertThat(jvm.stdout().lines()).contains("COLLECTED");
        jvm.stdout().await("DEPLOYED 2 value=from-etcd ON 0", WAIT);

        etcdctl.put(key, "after-redeploy");
        jvm.stdout().await("VALUE value=after-redeploy ON 0", WAIT);
        // Writes are done in order on the agent thread: once this one shows, any for the put before have.
        etcdctl.put(key, "last");
        jvm.stdout().await("VALUE value=last ON 0", WAIT);
        jvm.stderr().await(key + ": .* -> last .*DeployedConfig.value", WAIT);
        assertThat(jvm.stderr().lines())
                .filteredOn(line -> line.contains(" -> after-redeploy ") && line.endsWith("DeployedConfig.value"))
                .hasSize(1);
    }
}
