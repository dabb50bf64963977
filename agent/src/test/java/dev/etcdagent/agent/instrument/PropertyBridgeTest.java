package dev.etcdagent.agent.instrument;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.log.AgentLog;
import dev.etcdagent.agent.values.ValueOutcomes;
import dev.etcdagent.hooks.PropertyOverlay;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PropertyBridgeTest {

    private static final String PREFIX = "/config/service/a/";

    private final List<String> outcomes = new ArrayList<>();
    private final PropertyOverlay overlay = new PropertyOverlay(new Properties());
    private final PropertyBridge bridge = new PropertyBridge(PREFIX, overlay, new ValueOutcomes() {
        @Override
        public void applied(String key, long revision, String field) {
            outcomes.add("applied " + key + " " + field);
        }

        @Override
        public void rejected(String key, long revision, String field, String reason) {
            outcomes.add("rejected " + key + " " + field + ": " + reason);
        }
    });

    @Test
    void theJdksOwnNamespacesAreJdkOwned() {
        for (String name : List.of("java.version", "jdk.tls.client.protocols", "sun.net.inetaddr.ttl",
                "javax.net.ssl.trustStore", "javax.security.auth.useSubjectCredsOnly", "os.name", "user.home",
                "file.encoding", "line.separator", "path.separator", "java.util.logging.config.file",
                "java.naming.provider.url")) {
            assertThat(PropertyBridge.isJdkOwned(name)).as(name).isTrue();
        }
    }

    @Test
    void namesThatSteerTheJdksConnectionsAndTrustAreJdkOwned() {
        for (String name : List.of("http.proxyHost", "http.proxyPort", "http.nonProxyHosts", "https.proxyHost",
                "https.protocols", "ftp.proxyHost", "ftpProxyHost", "socksProxyHost", "socksProxyPort",
                "socksProxyVersion", "socksNonProxyHosts", "proxyHost", "proxyPort", "networkaddress.cache.ttl",
                "com.sun.jndi.ldap.object.trustURLCodebase", "com.sun.management.jmxremote.port",
                "jsse.enableSNIExtension", "jmx.remote.x.mlet.allow.getMBeansFromURL", "entityExpansionLimit")) {
            assertThat(PropertyBridge.isJdkOwned(name)).as(name).isTrue();
        }
    }

    @Test
    void theApplicationsOwnNamesAreNot() {
        for (String name : List.of("promo.enabled", "feature.x", "httpclient.timeout", "proxy.enabled",
                "proxyHostname.label", "javadoc.url", "users", "com.shop.timeout", "socks", "jmxEnabled")) {
            assertThat(PropertyBridge.isJdkOwned(name)).as(name).isFalse();
        }
    }

    @Test
    void aProxyHostFromEtcdIsNeverServedAndTheRefusalNeverShowsTheValue() {
        bridge.changed(new Change(PREFIX + "http.proxyHost", "evil.example.com", 7, false), null);

        assertThat(overlay.getProperty("http.proxyHost")).isNull();
        assertThat(outcomes).containsExactly("rejected " + PREFIX + "http.proxyHost System.getProperty(\"http.proxyHost\"):"
                + " a JDK-owned name, never overridden from etcd");
        assertThat(AgentLog.lastProblem()).contains(PREFIX + "http.proxyHost: not applied: http.proxyHost is a"
                + " JDK-owned system property").contains("-Dhttp.proxyHost=").doesNotContain("evil");
    }

    @Test
    void deletingARefusedNameClearsItsRejection() {
        bridge.changed(new Change(PREFIX + "socksProxyHost", "evil.example.com", 7, false), null);
        bridge.changed(new Change(PREFIX + "socksProxyHost", null, 8, false), "evil.example.com");

        assertThat(outcomes).last().isEqualTo("applied " + PREFIX + "socksProxyHost System.getProperty(\"socksProxyHost\")");
        assertThat(overlay.getProperty("socksProxyHost")).isNull();
    }

    @Test
    void anApplicationNameIsServed() {
        bridge.changed(new Change(PREFIX + "feature.x", "on", 3, false), null);

        assertThat(overlay.getProperty("feature.x")).isEqualTo("on");
        assertThat(outcomes).containsExactly("applied " + PREFIX + "feature.x System.getProperty(\"feature.x\")");
    }
}
