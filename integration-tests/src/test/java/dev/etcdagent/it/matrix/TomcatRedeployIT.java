package dev.etcdagent.it.matrix;

import java.time.Duration;

import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.FreePorts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redeploying a web application on a real standalone Tomcat (issue 8's leak seen from a real server): after an
 * undeploy the web application's class loader is collected (Tomcat's manager {@code findleaks} runs a full GC and
 * lists stopped web applications whose loaders survive it), and a put after the redeploy is written once, to the
 * live class only.
 */
class TomcatRedeployIT extends MatrixTestSupport {

    @Test
    void undeployFreesTheClassLoaderAndAPutAfterRedeployIsAppliedOnce() {
        TomcatCase app = PackagedApps.tomcatWar();
        String service = newService();
        String agentArgs = TomcatIT.catalinaAgentArgs(service);
        FrameworkChecks checks = new FrameworkChecks(app, etcdctl, service, agentArgs, this::start);
        int port = FreePorts.next();
        AgentJvm jvm = start(app.launcher(agentArgs, port));
        app.awaitFirstAnswer(jvm, port, FrameworkChecks.WAIT);
        checks.followsPutsAndDeletes(port);
        TomcatServer tomcat = app.server();

        tomcat.undeploy(TomcatCase.CONTEXT);
        await("the undeployed web application's class loader collected (manager findleaks, which runs a GC)")
                .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(tomcat::findLeaks, leaks -> leaks.isEmpty());
        tomcat.deploy(TomcatCase.CONTEXT, PackagedApps.probeWar());
        app.awaitFirstAnswer(jvm, port, FrameworkChecks.WAIT);

        String key = "/config" + service + "/" + MatrixCase.FIELD_KEY;
        etcdctl.put(key, "after-redeploy");
        awaitDynamic(app, port, "after-redeploy");
        // One agent thread applies changes in revision order: once the delete shows, the put is fully applied.
        etcdctl.del(key);
        awaitDynamic(app, port, MatrixCase.FIELD_DECLARED);
        assertThat(jvm.stderr().count(line -> line.contains(key + ": ") && line.contains(" -> after-redeploy (revision")
                && line.endsWith("ProbeServlet.dynamic")))
                .as("fields written by a put after the redeploy: the live class's only (%s)", jvm.stderr().file())
                .isEqualTo(1);
        checks.registersOnly(port);
        checks.sigtermRemovesTheKeyForGood(jvm);
    }

    private static void awaitDynamic(MatrixCase app, int port, String value) {
        await(app + " observing dynamic=" + value).atMost(FrameworkChecks.FOLLOW).pollInterval(Duration.ofMillis(10))
                .until(() -> app.probe().values(port).get("dynamic"), value::equals);
    }
}
