package dev.etcdagent.agent.config;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.etcdagent.agent.log.AgentLog;

/**
 * Every agent argument, each declared once, in the order of the README's table: key, description,
 * syntax, default, and what else it is. To add one: declare it here, read it in {@link AgentArguments},
 * add its row to the README's "Arguments" table ({@code OptionsTest} prints the rows it expects) and
 * its default and a bad text to {@code OptionsTest}'s tables.
 *
 * <p>Premain runs all of this: anonymous classes, no lambdas or method references (their first use
 * costs ~20 ms).
 */
public final class Options {

    private static final List<Option<?>> DECLARED = new ArrayList<>();
    /** Every option, in the order of declaration. */
    public static final List<Option<?>> ALL = Collections.unmodifiableList(DECLARED);

    private static final int MAX_TTL_SECONDS = 86_400;
    private static final String ENDPOINT_FORM =
            "must be URLs with scheme, host and port, e.g. http://127.0.0.1:2379,https://10.0.0.2:2379";

    private static final Option.Syntax<String> TEXT = new Option.Syntax<String>() {
        @Override
        public String parse(String text, Map<Option<?>, Object> earlier) {
            return nonEmpty(text);
        }
    };

    private static final Option.Syntax<Path> READABLE_FILE = new Option.Syntax<Path>() {
        @Override
        public Path parse(String text, Map<Option<?>, Object> earlier) {
            Path path = Paths.get(nonEmpty(text));
            if (!path.toFile().isFile() || !path.toFile().canRead()) {
                throw new IllegalArgumentException("file " + path + " does not exist or is not readable");
            }
            return path;
        }
    };

    public static final Option<String> SERVICE = declare("service",
            "service id, e.g. `/service/a`. Without it nothing is registered.", new Option.Syntax<String>() {
                @Override
                public String parse(String text, Map<Option<?>, Object> earlier) {
                    return namedPrefix(text, "must name a service, e.g. service=/service/a");
                }
            });

    public static final Option<List<URI>> ENDPOINTS = declare("endpoints",
            "etcd client URLs, comma-separated; `https://` means TLS", new Option.Syntax<List<URI>>() {
                @Override
                public List<URI> parse(String text, Map<Option<?>, Object> earlier) {
                    List<URI> list = new ArrayList<>();
                    for (String part : text.split("[;,]")) {
                        String trimmed = part.trim();
                        if (!trimmed.isEmpty()) {
                            list.add(endpoint(trimmed));
                        }
                    }
                    if (list.isEmpty()) {
                        throw new IllegalArgumentException("must list at least one URL, e.g. http://127.0.0.1:2379");
                    }
                    return List.copyOf(list);
                }
            }).byDefault("http://127.0.0.1:2379").list().forTool("URLS");

    public static final Option<String> ADDRESS = declare("address",
            "`host:port` to advertise; registered at once, without waiting for a server socket",
            new Option.Syntax<String>() {
                @Override
                public String parse(String text, Map<Option<?>, Object> earlier) {
                    String trimmed = nonEmpty(text);
                    int colon = trimmed.lastIndexOf(':');
                    if (colon <= 0 || colon == trimmed.length() - 1) {
                        throw new IllegalArgumentException("must be host:port, e.g. 10.0.0.5:8080");
                    }
                    hostName(trimmed.substring(0, colon));
                    wholeNumber(trimmed.substring(colon + 1), 1, 65_535, "a TCP port");
                    return trimmed;
                }
            }).whenAbsent("detected");

    public static final Option<String> HOST = declare("host",
            "advertised host; default: the address the server socket is bound to, or for a wildcard bind the"
                    + " first non-loopback IPv4 address, else loopback", new Option.Syntax<String>() {
                @Override
                public String parse(String text, Map<Option<?>, Object> earlier) {
                    return hostName(text);
                }
            }).whenAbsent("detected");

    public static final Option<Integer> PORT = declare("port",
            "the listening port to register when the JVM listens on several (a management port, say); seen by"
                    + " either mechanism below", wholeNumber(1, 65_535, "a TCP port"))
            .whenAbsent("first listener", new Option.Default<Integer>() {
                @Override
                public Integer value(Map<Option<?>, Object> earlier) {
                    return 0;
                }
            });

    public static final Option<Integer> TTL = declare("ttl", "lease TTL in seconds (1 to " + MAX_TTL_SECONDS + ")",
            wholeNumber(1, MAX_TTL_SECONDS, "a lease TTL in seconds")).byDefault("10");

    public static final Option<String> INSTANCE = declare("instance",
            "instance id, the last segment of the registration key", new Option.Syntax<String>() {
                @Override
                public String parse(String text, Map<Option<?>, Object> earlier) {
                    String id = nonEmpty(text);
                    if (id.contains("/")) {
                        throw new IllegalArgumentException("must not contain '/': it is the last segment of the key");
                    }
                    return id;
                }
            }).whenAbsent("advertised `host:port`");

    public static final Option<String> CONFIG = declare("config", "prefix of the service's configuration keys",
            new Option.Syntax<String>() {
                @Override
                public String parse(String text, Map<Option<?>, Object> earlier) {
                    return keyPrefix(text);
                }
            }).whenAbsent("`/config` + service", new Option.Default<String>() {
                @Override
                public String value(Map<Option<?>, Object> earlier) {
                    String service = SERVICE.in(earlier);
                    return service == null ? null : "/config" + service;
                }
            }).forTool("PREFIX");

    public static final Option<Path> SNAPSHOT = declare("snapshot",
            "last-known configuration on disk, one file per service and etcd cluster"
                    + " (`~/.etcd-agent/snapshots/<service>@<hash>.json`, see [Reliability](#reliability)), used when"
                    + " etcd is unreachable at start; `off` disables; a path chooses the file, used whatever the"
                    + " endpoints", new Option.Syntax<Path>() {
                @Override
                public Path parse(String text, Map<Option<?>, Object> earlier) {
                    String trimmed = nonEmpty(text);
                    switch (trimmed.toLowerCase(Locale.ROOT)) {
                        case "off":
                        case "false":
                        case "no":
                            return null;
                        case "on":
                        case "true":
                        case "yes":
                            String service = SERVICE.in(earlier);
                            if (service == null) {
                                throw new IllegalArgumentException("needs service=..., or a file path");
                            }
                            return AgentArguments.defaultSnapshot(service, ENDPOINTS.in(earlier));
                        default:
                            return Paths.get(trimmed);
                    }
                }
            }).whenAbsent("`on`", new Option.Default<Path>() {
                @Override
                public Path value(Map<Option<?>, Object> earlier) {
                    String service = SERVICE.in(earlier);
                    return service == null ? null : AgentArguments.defaultSnapshot(service, ENDPOINTS.in(earlier));
                }
            });

    public static final Option<String> STATUS = declare("status",
            "prefix of the per-instance status records; `off` disables them",
            new Option.Syntax<String>() {
                @Override
                public String parse(String text, Map<Option<?>, Object> earlier) {
                    if ("off".equalsIgnoreCase(text.trim())) {
                        return null;
                    }
                    return namedPrefix(text, "must name a prefix, e.g. /etcd-agent/status, or be off");
                }
            }).byDefault("/etcd-agent/status").forTool("PREFIX");

    public static final Option<String> USER = declare("user", "etcd user", TEXT).forTool("NAME");

    public static final Option<String> PASSWORD = declare("password",
            "etcd password: prefer `ETCD_AGENT_PASSWORD` or `password-file`, which stay out of `ps`; commas: see"
                    + " below", new Option.Syntax<String>() {
                @Override
                public String parse(String text, Map<Option<?>, Object> earlier) {
                    if (text.isEmpty()) {
                        throw new IllegalArgumentException("is empty; connecting without a password");
                    }
                    return text;
                }
            }).secret();

    public static final Option<String> PASSWORD_FILE = declare("password-file", "a file holding the password", TEXT)
            .forTool("FILE");

    public static final Option<Path> CACERT = declare("cacert",
            "PEM file of the CA that signed etcd's certificate, for `https://` endpoints", READABLE_FILE)
            .forTool("FILE");

    public static final Option<Path> CERT = declare("cert",
            "PEM file of the client certificate, for client-certificate auth", READABLE_FILE)
            .forTool("FILE");

    public static final Option<Path> KEY = declare("key",
            "PEM file of the client certificate's private key, in PKCS#8", READABLE_FILE)
            .forTool("FILE");

    public static final Option<AgentLog.Level> LOG = declare("log",
            "agent log level: `off`, `error`, `warn`, `info`, `debug`", new Option.Syntax<AgentLog.Level>() {
                @Override
                public AgentLog.Level parse(String text, Map<Option<?>, Object> earlier) {
                    try {
                        return AgentLog.Level.parse(text);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("must be one of off, error, warn, info, debug");
                    }
                }
            }).byDefault("info");

    private Options() {
    }

    private static <T> Option<T> declare(String key, String description, Option.Syntax<T> syntax) {
        Option<T> option = new Option<>(key, description, syntax);
        DECLARED.add(option);
        return option;
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

    private static Option.Syntax<Integer> wholeNumber(final int min, final int max, final String what) {
        return new Option.Syntax<Integer>() {
            @Override
            public Integer parse(String text, Map<Option<?>, Object> earlier) {
                return wholeNumber(text, min, max, what);
            }
        };
    }

    private static int wholeNumber(String text, int min, int max, String what) {
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be " + what + ", a whole number from " + min + " to " + max);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("must be " + what + " from " + min + " to " + max);
        }
        return (int) value;
    }

    private static String keyPrefix(String text) {
        String prefix = nonEmpty(text);
        if (!prefix.startsWith("/")) {
            throw new IllegalArgumentException("must start with '/', e.g. /service/a");
        }
        while (prefix.length() > 1 && prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return prefix;
    }

    /** A key prefix other than the root, which would take in every key in etcd; {@code refusal} says so. */
    private static String namedPrefix(String text, String refusal) {
        String prefix = keyPrefix(text);
        if (prefix.equals("/")) {
            throw new IllegalArgumentException(refusal);
        }
        return prefix;
    }

    private static URI endpoint(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(ENDPOINT_FORM);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException(ENDPOINT_FORM);
        }
        if (uri.getHost() == null || uri.getPort() < 1) {
            throw new IllegalArgumentException(ENDPOINT_FORM);
        }
        return URI.create(uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort());
    }

    private static String hostName(String text) {
        String trimmed = nonEmpty(text);
        if (trimmed.contains("/") || trimmed.contains(" ")) {
            throw new IllegalArgumentException("must be a host name or IP address");
        }
        return trimmed;
    }

    private static String nonEmpty(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return trimmed;
    }
}
