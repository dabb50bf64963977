package dev.etcdagent.it.matrix;

import org.junit.jupiter.api.Test;

/**
 * WildFly 39 (the distribution from Maven Central) started by {@code standalone.sh}, the agent added to
 * {@code JAVA_OPTS} in {@code standalone.conf} and nothing else (issue 18): the deployment's {@code @Dynamic}
 * field follows etcd in JBoss Modules' class loaders, and the registered port is the HTTP listener's, never
 * the management interface's opened beside it (every check of the matrix: registration of that port only,
 * put and delete, SIGTERM, exit code, output).
 */
class WildFlyIT extends MatrixTestSupport {

    @Test
    void warWithTheAnnotationsJarProvidedFollowsEtcdWithOnlyTheAgentInJavaOpts() {
        check(PackagedApps.wildFlyWar());
    }

    @Test
    void warWithTheAnnotationsJarInWebInfLibFollowsEtcd() {
        check(PackagedApps.wildFlyBundledWar());
    }
}
