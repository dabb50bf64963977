package dev.etcdagent.it.apps;

import java.net.ProxySelector;
import java.net.URI;
import java.time.Duration;

import dev.etcdagent.Dynamic;

/**
 * What etcd must never steer, reported through {@link ChangeReporter}: JDK-owned system properties, the
 * proxy the JDK would use for a connection, and fields whose bad values could be secrets.
 */
public final class GuardedApp {

    @Dynamic("endpoint") static URI endpoint = URI.create("https://db.example.com/");
    @Dynamic("backup") static URI backup = URI.create("https://backup.example.com/");
    @Dynamic("limit") static int limit = 5;
    @Dynamic("timeout") static Duration timeout = Duration.ofSeconds(2);

    private GuardedApp() {
    }

    public static void main(String[] args) throws Exception {
        URI somewhere = URI.create("http://somewhere.invalid/");
        new ChangeReporter()
                .watch("endpoint", () -> endpoint)
                .watch("backup", () -> backup)
                .watch("limit", () -> limit)
                .watch("timeout", () -> timeout)
                .watch("prop.feature", () -> System.getProperty("feature.x"))
                .watch("prop.http.proxyHost", () -> System.getProperty("http.proxyHost"))
                .watch("prop.https.proxyHost", () -> System.getProperty("https.proxyHost"))
                .watch("prop.socksProxyHost", () -> System.getProperty("socksProxyHost"))
                .watch("prop.networkaddress.cache.ttl", () -> System.getProperty("networkaddress.cache.ttl"))
                .watch("prop.trustURLCodebase", () -> System.getProperty("com.sun.jndi.ldap.object.trustURLCodebase"))
                .watch("map.http.proxyHost", () -> System.getProperties().get("http.proxyHost"))
                .watch("proxy", () -> ProxySelector.getDefault().select(somewhere))
                .run();
    }
}
