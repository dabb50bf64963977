package dev.etcdagent.it;

import dev.etcdagent.it.apps.ChildFirstApp;
import dev.etcdagent.it.launch.AgentJvm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 9: an application that packages the annotations jar, loaded child-first, still follows etcd. */
class PackagedApiJarIT extends AgentTestSupport {

    @Test
    void dynamicFieldFollowsEtcdWhenAChildFirstLoaderHasItsOwnCopyOfTheApiJar() {
        String service = newService();
        String config = "/config" + service;
        etcdctl.put(config + "/promo.enabled", "true");
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service)).main(ChildFirstApp.class));
        jvm.stdout().await("READY", WAIT);
        assertThat(jvm.stdout().lines()).contains("ANNOTATIONS FROM the application's own jar",
                "INITIAL enabled=true");

        etcdctl.put(config + "/promo.enabled", "false");
        etcdctl.put(config + "/feature.x", "packaged");
        jvm.stdout().await("VALUE enabled=false", WAIT);
        jvm.stdout().await("VALUE prop.feature=packaged", WAIT);

        etcdctl.put(config + "/promo.enabled", "on");
        jvm.stdout().await("VALUE enabled=true", WAIT);
        assertThat(jvm.stderr().lines()).noneMatch(line -> line.contains("dev.etcdagent.hooks"));
    }
}
