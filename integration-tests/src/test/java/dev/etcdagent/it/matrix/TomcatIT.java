package dev.etcdagent.it.matrix;

import org.junit.jupiter.api.Test;

/**
 * Standalone Tomcat 10.1 (the distribution from Maven Central) started by {@code catalina.sh run}, the agent in
 * {@code CATALINA_OPTS} with its endpoints list separated by {@code ,} (catalina.sh passes CATALINA_OPTS through
 * {@code eval}, where {@code ;} would end the command): a WAR compiled against the annotations jar (scope
 * provided), and the same WAR with the jar inside {@code WEB-INF/lib}.
 */
class TomcatIT extends MatrixTestSupport {

    @Test
    void warIsRegisteredAndFollowsEtcd() {
        checkAll(PackagedApps.tomcatWar());
    }

    @Test
    void warWithTheAnnotationsJarInWebInfLibFollowsEtcd() {
        checkAll(PackagedApps.tomcatBundledWar());
    }

    private void checkAll(TomcatCase app) {
        String service = newService();
        System.out.println("[matrix] " + checks(app, service).checkAll());
    }

    private FrameworkChecks checks(TomcatCase app, String service) {
        return new FrameworkChecks(app, etcdctl, service, catalinaAgentArgs(service), this::start);
    }

    /** The matrix's arguments, with two endpoints (both this etcd) separated by {@code ,}. */
    static String catalinaAgentArgs(String service) {
        String endpoints = "endpoints=" + etcd.endpoint();
        return agentArgs(service, "ttl=" + FrameworkChecks.TTL_SECONDS)
                .replace(endpoints, endpoints + "," + etcd.endpoint().replace("127.0.0.1", "localhost"));
    }
}
