package dev.etcdagent.agent.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import dev.etcdagent.agent.log.AgentLog;

/**
 * Every agent argument, each declared once, in the order of the README's table: key, description,
 * {@link Syntax}, default, and what else it is. To add one: declare it here, read it in
 * {@link AgentArguments}, add its row to the README's "Arguments" table ({@code OptionsTest} prints the
 * rows it expects) and its default and a bad text to {@code OptionsTest}'s tables.
 */
public final class Options {

    private static final List<Option<?>> DECLARED = new ArrayList<>();
    /** Every option, in the order of declaration. */
    public static final List<Option<?>> ALL = Collections.unmodifiableList(DECLARED);

    public static final Option<String> SERVICE = declare("service", Syntax.SERVICE_ID,
            "service id, e.g. `/service/a`. Without it nothing is registered.");

    public static final Option<List<URI>> ENDPOINTS = declare("endpoints", Syntax.URL_LIST,
            "etcd client URLs, comma-separated; `https://` means TLS")
            .byDefault("http://127.0.0.1:2379").list().forTool("URLS");

    public static final Option<String> ADDRESS = declare("address", Syntax.HOST_AND_PORT,
            "`host:port` to advertise; registered at once, without waiting for a server socket")
            .whenAbsent("detected");

    public static final Option<String> HOST = declare("host", Syntax.HOST_NAME,
            "advertised host; default: the address the server socket is bound to, or for a wildcard bind the"
                    + " first non-loopback IPv4 address, else loopback")
            .whenAbsent("detected");

    public static final Option<Integer> PORT = declare("port", Syntax.LISTENING_PORT,
            "the listening port to register when the JVM listens on several and names none of them as its"
                    + " application port; seen by either mechanism below")
            .whenAbsent("chosen (see [Registration](#registration))");

    public static final Option<Integer> TTL = declare("ttl", Syntax.LEASE_TTL,
            "lease TTL in seconds (1 to " + Syntax.MAX_TTL_SECONDS + ")")
            .byDefault("10");

    public static final Option<String> INSTANCE = declare("instance", Syntax.INSTANCE_ID,
            "instance id, the last segment of the registration key")
            .whenAbsent("advertised `host:port`");

    public static final Option<Map<String, String>> LABELS = declare("labels", Syntax.LABELS,
            "this instance's labels, `name:value` comma-separated, e.g. `zone:eu,tier:gold`; shown in its status"
                    + " record and by `status`")
            .whenAbsent("none").list();

    public static final Option<String> CONFIG = declare("config", Syntax.CONFIG_PREFIX,
            "prefix of the service's configuration keys")
            .whenAbsent("`/config` + service").forTool("PREFIX");

    public static final Option<Path> SNAPSHOT = declare("snapshot", Syntax.SNAPSHOT_FILE,
            "last-known configuration on disk, one file per service and etcd cluster"
                    + " (`~/.etcd-agent/snapshots/<service>@<hash>.json`, see [Reliability](#reliability)), used when"
                    + " etcd is unreachable at start; `off` disables; a path chooses the file, used whatever the"
                    + " endpoints")
            .whenAbsent("`on`");

    public static final Option<String> STATUS = declare("status", Syntax.STATUS_PREFIX,
            "prefix of the per-instance status records; `off` disables them")
            .byDefault("/etcd-agent/status").forTool("PREFIX");

    public static final Option<String> USER = declare("user", Syntax.TEXT, "etcd user")
            .forTool("NAME");

    public static final Option<String> PASSWORD = declare("password", Syntax.SECRET_TEXT,
            "etcd password: prefer `ETCD_AGENT_PASSWORD` or `password-file`, which stay out of `ps`; commas: see"
                    + " below")
            .secret();

    public static final Option<String> PASSWORD_FILE = declare("password-file", Syntax.TEXT,
            "a file holding the password")
            .forTool("FILE");

    public static final Option<Path> CACERT = pemFile("cacert",
            "PEM file of the CA that signed etcd's certificate, for `https://` endpoints");

    public static final Option<Path> CERT = pemFile("cert",
            "PEM file of the client certificate, for client-certificate auth");

    public static final Option<Path> KEY = pemFile("key",
            "PEM file of the client certificate's private key, in PKCS#8");

    public static final Option<AgentLog.Level> LOG = declare("log", Syntax.LOG_LEVEL,
            "agent log level: `off`, `error`, `warn`, `info`, `debug`")
            .byDefault("info");

    private Options() {
    }

    private static <T> Option<T> declare(String key, Syntax<T> syntax, String description) {
        Option<T> option = new Option<>(key, syntax, description);
        DECLARED.add(option);
        return option;
    }

    /** A file for TLS, named as etcdctl names it. */
    private static Option<Path> pemFile(String key, String description) {
        return declare(key, Syntax.READABLE_FILE, description).forTool("FILE");
    }

    /** The option of that key, or {@code null}. */
    static Option<?> named(String key) {
        for (Option<?> option : ALL) {
            if (option.key().equals(key)) {
                return option;
            }
        }
        return null;
    }

    /** Every key, in the order of declaration. */
    static List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (Option<?> option : ALL) {
            keys.add(option.key());
        }
        return Collections.unmodifiableList(keys);
    }

    /** The options that are also the tool's connection options, in the order of declaration. */
    public static List<Option<?>> forTool() {
        List<Option<?>> options = new ArrayList<>();
        for (Option<?> option : ALL) {
            if (option.isToolOption()) {
                options.add(option);
            }
        }
        return Collections.unmodifiableList(options);
    }
}
