package dev.etcdagent.it.matrix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.FreePorts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * WildFly 39 (the distribution from Maven Central) started by {@code standalone.sh}, the agent added to
 * {@code JAVA_OPTS} in {@code standalone.conf} and nothing else (issue 18): the deployment's {@code @Dynamic}
 * field follows etcd in JBoss Modules' class loaders, and the registered port is the HTTP listener's, never
 * the management interface's opened beside it (every check of the matrix: registration of that port only,
 * put and delete, SIGTERM, exit code, output); the WAR with the annotations jar inside, across an undeploy and
 * redeploy through the deployment scanner.
 */
class WildFlyIT extends MatrixTestSupport {

    @Test
    void warWithTheAnnotationsJarProvidedFollowsEtcdWithOnlyTheAgentInJavaOpts() {
        check(PackagedApps.wildFlyWar());
    }

    /**
     * The WAR with the annotations jar inside {@code WEB-INF/lib}, with the agent only (the run without it, the
     * exit code and the output are the test above's): it follows etcd, and after an undeploy and a deploy
     * again a put reaches the live deployment.
     */
    @Test
    void warWithTheAnnotationsJarInWebInfLibFollowsEtcdAcrossAnUndeployAndRedeploy() throws Exception {
        WildFlyCase app = PackagedApps.wildFlyBundledWar();
        String service = newService();
        String agentArgs = agentArgs(service, "ttl=" + FrameworkChecks.TTL_SECONDS);
        FrameworkChecks checks = new FrameworkChecks(app, etcdctl, service, agentArgs, this::start);
        int port = FreePorts.next();
        AgentJvm jvm = start(app.launcher(agentArgs, port));
        app.awaitFirstAnswer(jvm, port, FrameworkChecks.WAIT);
        checks.followsPutsAndDeletes(port);

        // The deployment scanner undeploys a WAR whose file goes, and deploys it again when it comes back.
        Path deployed = app.base().resolve("deployments/probe.war");
        Path saved = Files.move(deployed, app.base().resolve("probe.war.saved"));
        await("the WAR undeployed").atMost(FrameworkChecks.WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(app.base().resolve("deployments/probe.war.undeployed")));
        // Back, newer than the scanner's .undeployed marker (an older file would be taken as the undeployed one).
        Files.delete(app.base().resolve("deployments/probe.war.undeployed"));
        Files.move(saved, deployed);
        Files.setLastModifiedTime(deployed, java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
        await("the WAR deployed again").atMost(FrameworkChecks.WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(app.base().resolve("deployments/probe.war.deployed")));
        app.awaitFirstAnswer(jvm, port, FrameworkChecks.WAIT);

        String key = "/config" + service + "/" + MatrixCase.FIELD_KEY;
        etcdctl.put(key, "after-redeploy");
        await(app + " observing dynamic=after-redeploy").atMost(FrameworkChecks.FOLLOW)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> app.probe().values(port).get("dynamic"), "after-redeploy"::equals);
        checks.registersOnly(port);
        checks.sigtermRemovesTheKeyForGood(jvm);
        assertThat(jvm.stderr().lines()).as("the agent's warnings and errors (%s)", jvm.stderr().file())
                .noneMatch(line -> line.startsWith("[etcd-agent]") && (line.contains(" WARN ") || line.contains(" ERROR ")));
    }
}
