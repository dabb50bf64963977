package dev.etcdagent.agent.config;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import dev.etcdagent.agent.log.AgentLog;

/**
 * The agent's arguments: {@code -javaagent:etcd-agent.jar=key=value,key=value}, each also readable
 * from the system property {@code etcd.agent.<key>} or the environment variable
 * {@code ETCD_AGENT_<KEY>}. Precedence: agent argument, system property, environment, default.
 *
 * <p>A bad argument never stops the application: it is reported in {@link #problems()} (one line
 * each, naming the fix) and the default is used in its place.
 */
public final class AgentArguments {

    /** Every accepted key, in the order the README documents them. */
    public static final List<String> KEYS = List.of(
            "service", "endpoints", "address", "host", "port", "ttl", "instance", "config", "snapshot",
            "status", "user", "password", "password-file", "cacert", "cert", "key", "log");

    /** Keys whose value is a list: in the agent argument a token without '=' continues it. */
    private static final List<String> LIST_KEYS = List.of("endpoints");
    /** Where the per-instance status records live unless {@code status} says otherwise. */
    public static final String DEFAULT_STATUS_PREFIX = "/etcd-agent/status";
    private static final int MAX_TTL_SECONDS = 86_400;
    private static final String ENDPOINT_FORM =
            "must be URLs with scheme, host and port, e.g. http://127.0.0.1:2379,https://10.0.0.2:2379";

    private final String service;
    private final List<URI> endpoints;
    private final String address;
    private final String host;
    private final int port;
    private final int ttlSeconds;
    private final String instance;
    private final String configPrefix;
    private final Path snapshotFile;
    private final String statusPrefix;
    private final String user;
    private final String password;
    private final Path cacert;
    private final Path cert;
    private final Path key;
    private final AgentLog.Level logLevel;
    private final List<String> problems;

    private AgentArguments(Reader in) {
        // No lambdas or method references here: premain runs this, and their first use costs ~20 ms.
        service = (String) in.value("service", null);
        endpoints = castList(in.value("endpoints", List.of(URI.create("http://127.0.0.1:2379"))));
        address = (String) in.value("address", null);
        host = (String) in.value("host", null);
        port = (Integer) in.value("port", 0);
        ttlSeconds = (Integer) in.value("ttl", 10);
        instance = (String) in.value("instance", null);
        configPrefix = (String) in.value("config", service == null ? null : "/config" + service);
        in.service = service;
        in.endpoints = endpoints;
        snapshotFile = (Path) in.value("snapshot", service == null ? null : defaultSnapshot(service, endpoints));
        statusPrefix = (String) in.value("status", DEFAULT_STATUS_PREFIX);
        user = (String) in.value("user", null);
        String passwordValue = in.secret("password");
        String passwordFile = (String) in.value("password-file", null);
        if (passwordValue == null && passwordFile != null) {
            passwordValue = in.readSecretFile("password-file", passwordFile);
        }
        password = passwordValue;
        if (user != null && password == null) {
            in.problem("argument user=" + user + " has no password: set ETCD_AGENT_PASSWORD or password-file=<file>;"
                    + " connecting without authentication");
        }
        cacert = (Path) in.value("cacert", null);
        cert = (Path) in.value("cert", null);
        key = (Path) in.value("key", null);
        if ((cert == null) != (key == null)) {
            in.problem("arguments cert and key go together (a client certificate and its private key in PEM);"
                    + " connecting without a client certificate");
        }
        logLevel = (AgentLog.Level) in.value("log", AgentLog.Level.INFO);
        problems = Collections.unmodifiableList(in.problems);
    }

    /**
     * Reads the arguments from the agent argument string, then system properties, then environment.
     */
    public static AgentArguments parse(String agentArgs, Map<String, String> systemProperties,
                                       Map<String, String> environment) {
        return new AgentArguments(new Reader(agentArgs, systemProperties, environment));
    }

    public String service() {
        return service;
    }

    public List<URI> endpoints() {
        return endpoints;
    }

    public String address() {
        return address;
    }

    public String host() {
        return host;
    }

    /** The port to register when the JVM listens on several; 0 means the first one bound. */
    public int port() {
        return port;
    }

    public Duration ttl() {
        return Duration.ofSeconds(ttlSeconds);
    }

    public String instance() {
        return instance;
    }

    /** The prefix of this JVM's configuration keys, without a trailing slash; {@code null} when there is none. */
    public String configPrefix() {
        return configPrefix;
    }

    /** The snapshot file, or {@code null} when snapshots are off. */
    public Path snapshotFile() {
        return snapshotFile;
    }

    /** The prefix of the status records, without a trailing slash; {@code null} when {@code status=off}. */
    public String statusPrefix() {
        return statusPrefix;
    }

    public String user() {
        return user;
    }

    /** The etcd password; never logged. */
    public String password() {
        return password;
    }

    public Path cacert() {
        return cacert;
    }

    public Path cert() {
        return cert;
    }

    public Path key() {
        return key;
    }

    /** The etcd cluster as its endpoints tell it: the same text for every way of listing the same URLs. */
    public String cluster() {
        return cluster(endpoints);
    }

    static String cluster(List<URI> endpoints) {
        TreeSet<String> urls = new TreeSet<>();
        for (URI endpoint : endpoints) {
            urls.add(endpoint.toString().toLowerCase(Locale.ROOT));
        }
        return String.join(",", urls);
    }

    public boolean usesTls() {
        for (URI endpoint : endpoints) {
            if ("https".equals(endpoint.getScheme())) {
                return true;
            }
        }
        return false;
    }

    public AgentLog.Level logLevel() {
        return logLevel;
    }

    /** One line per bad argument, each naming the argument and the fix. */
    public List<String> problems() {
        return problems;
    }

    /** The arguments as a log line; the password is shown only as being set. */
    @Override
    public String toString() {
        return "service=" + service + ", endpoints=" + endpoints + ", config=" + configPrefix
                + (address != null ? ", address=" + address : "") + (host != null ? ", host=" + host : "")
                + (port != 0 ? ", port=" + port : "") + ", ttl=" + ttlSeconds + "s"
                + (instance != null ? ", instance=" + instance : "")
                + ", snapshot=" + (snapshotFile == null ? "off" : snapshotFile.toString())
                + ", status=" + (statusPrefix == null ? "off" : statusPrefix)
                + (user != null ? ", user=" + user + ", password=" + (password == null ? "(none)" : "(set)") : "")
                + (cacert != null ? ", cacert=" + cacert : "") + (cert != null ? ", cert=" + cert : "")
                + ", log=" + logLevel.name().toLowerCase(Locale.ROOT);
    }

    @SuppressWarnings("unchecked")
    private static List<URI> castList(Object value) {
        return (List<URI>) value;
    }

    /** Parses one key's text; IllegalArgumentException names what is wrong and how to write it. */
    private static Object parse(String name, String text, String service, List<URI> endpoints) {
        switch (name) {
            case "service":
                return serviceId(text);
            case "endpoints":
                return endpointList(text);
            case "address":
                return hostAndPort(text);
            case "host":
                return hostName(text);
            case "port":
                return wholeNumber(text, 1, 65_535, "a TCP port");
            case "ttl":
                return wholeNumber(text, 1, MAX_TTL_SECONDS, "a lease TTL in seconds");
            case "instance":
                return instanceId(text);
            case "config":
                return keyPrefix(text);
            case "snapshot":
                return snapshotPath(text, service, endpoints);
            case "status":
                return statusPrefix(text);
            case "cacert":
            case "cert":
            case "key":
                return readableFile(text);
            case "log":
                try {
                    return AgentLog.Level.parse(text);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("must be one of off, error, warn, info, debug");
                }
            default:
                return nonEmpty(text);
        }
    }

    private static String serviceId(String text) {
        String id = keyPrefix(text);
        if (id.equals("/")) {
            throw new IllegalArgumentException("must name a service, e.g. service=/service/a");
        }
        return id;
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

    private static String statusPrefix(String text) {
        if ("off".equalsIgnoreCase(text.trim())) {
            return null;
        }
        String prefix = keyPrefix(text);
        if (prefix.equals("/")) {
            throw new IllegalArgumentException("must name a prefix, e.g. /etcd-agent/status, or be off");
        }
        return prefix;
    }

    private static String instanceId(String text) {
        String id = nonEmpty(text);
        if (id.contains("/")) {
            throw new IllegalArgumentException("must not contain '/': it is the last segment of the key");
        }
        return id;
    }

    private static List<URI> endpointList(String text) {
        List<URI> list = new ArrayList<>();
        for (String part : text.split("[;,]")) {
            String trimmed = part.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            list.add(endpoint(trimmed));
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("must list at least one URL, e.g. http://127.0.0.1:2379");
        }
        return List.copyOf(list);
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

    private static String hostAndPort(String text) {
        String trimmed = nonEmpty(text);
        int colon = trimmed.lastIndexOf(':');
        if (colon <= 0 || colon == trimmed.length() - 1) {
            throw new IllegalArgumentException("must be host:port, e.g. 10.0.0.5:8080");
        }
        hostName(trimmed.substring(0, colon));
        wholeNumber(trimmed.substring(colon + 1), 1, 65_535, "a TCP port");
        return trimmed;
    }

    private static String hostName(String text) {
        String trimmed = nonEmpty(text);
        if (trimmed.contains("/") || trimmed.contains(" ")) {
            throw new IllegalArgumentException("must be a host name or IP address");
        }
        return trimmed;
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

    private static Path snapshotPath(String text, String service, List<URI> endpoints) {
        String trimmed = nonEmpty(text);
        switch (trimmed.toLowerCase(Locale.ROOT)) {
            case "off":
            case "false":
            case "no":
                return null;
            case "on":
            case "true":
            case "yes":
                if (service == null) {
                    throw new IllegalArgumentException("needs service=..., or a file path");
                }
                return defaultSnapshot(service, endpoints);
            default:
                return Paths.get(trimmed);
        }
    }

    private static Path defaultSnapshot(String service, List<URI> endpoints) {
        return defaultSnapshot(System.getProperty("user.home", "."), service, endpoints);
    }

    /**
     * {@code <home>/.etcd-agent/snapshots/<service>@<hash>.json}, the hash of the service id and the
     * {@link #cluster(List) cluster}: a staging and a production JVM of one service on one host never load
     * each other's values. The cluster is known by its endpoints, since a start with etcd down must find
     * its file without etcd's answer (which would tell its cluster id).
     */
    static Path defaultSnapshot(String home, String service, List<URI> endpoints) {
        String readable = service.substring(1).replaceAll("[^A-Za-z0-9._-]", "_");
        String file = readable + "@" + fnv1a64(service + "\n" + cluster(endpoints)) + ".json";
        return Paths.get(home, ".etcd-agent", "snapshots", file);
    }

    /** 64-bit FNV-1a in 16 hex digits: no collision to fear among one host's clusters, and free in premain. */
    private static String fnv1a64(String text) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            hash ^= text.charAt(i);
            hash *= 0x100000001b3L;
        }
        String hex = Long.toHexString(hash);
        return "0000000000000000".substring(hex.length()) + hex;
    }

    private static Path readableFile(String text) {
        Path path = Paths.get(nonEmpty(text));
        if (!path.toFile().isFile() || !path.toFile().canRead()) {
            throw new IllegalArgumentException("file " + path + " does not exist or is not readable");
        }
        return path;
    }

    private static String nonEmpty(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return trimmed;
    }

    /** Looks keys up in the three sources in order and collects problems. */
    private static final class Reader {
        private final Map<String, String> agentArgs = new LinkedHashMap<>();
        private final Map<String, String> systemProperties;
        private final Map<String, String> environment;
        private final List<String> problems = new ArrayList<>();
        private String service;
        private List<URI> endpoints;

        Reader(String agentArgString, Map<String, String> systemProperties, Map<String, String> environment) {
            this.systemProperties = systemProperties;
            this.environment = environment;
            if (agentArgString != null) {
                String listKey = null;
                boolean inPassword = false;
                for (String pair : agentArgString.split(",")) {
                    int eq = pair.indexOf('=');
                    String name = (eq < 0 ? pair : pair.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
                    // A comma inside the password is part of it: only an accepted key and '=' end it. Nothing
                    // of it is ever split off into a message ("unknown argument 'cret'" would show a part).
                    if (inPassword && (eq < 0 || !KEYS.contains(name))) {
                        agentArgs.put("password", agentArgs.get("password") + "," + pair);
                        continue;
                    }
                    inPassword = false;
                    if (pair.trim().isEmpty()) {
                        continue;
                    }
                    // endpoints=http://a:2379,http://b:2379: ';' would end the command line in catalina.sh and shells.
                    if (eq < 0 && listKey != null) {
                        agentArgs.put(listKey, agentArgs.get(listKey) + ";" + pair);
                        continue;
                    }
                    listKey = LIST_KEYS.contains(name) && eq >= 0 ? name : null;
                    if (!KEYS.contains(name)) {
                        problem("unknown argument '" + name + "' ignored; accepted: " + String.join(", ", KEYS));
                        continue;
                    }
                    if (eq < 0) {
                        problem("argument '" + name + "' has no value: write " + name + "=<value>");
                        continue;
                    }
                    agentArgs.put(name, pair.substring(eq + 1));
                    inPassword = name.equals("password");
                }
            }
            for (String property : systemProperties.keySet()) {
                if (property.startsWith("etcd.agent.")
                        && !KEYS.contains(property.substring("etcd.agent.".length()))) {
                    problem("unknown system property '" + property + "' ignored; accepted: etcd.agent.<key> for "
                            + String.join(", ", KEYS));
                }
            }
        }

        void problem(String line) {
            problems.add(line);
        }

        /** Where a key's text comes from, for messages: "argument ttl", "system property etcd.agent.ttl", ... */
        private String[] lookup(String name) {
            if (agentArgs.containsKey(name)) {
                return new String[] {agentArgs.get(name), "argument " + name};
            }
            String property = systemProperties.get("etcd.agent." + name);
            if (property != null) {
                return new String[] {property, "system property etcd.agent." + name};
            }
            String variable = "ETCD_AGENT_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
            String env = environment.get(variable);
            if (env != null) {
                return new String[] {env, "environment variable " + variable};
            }
            return null;
        }

        Object value(String name, Object fallback) {
            String[] found = lookup(name);
            if (found == null) {
                return fallback;
            }
            try {
                return parse(name, found[0], service, endpoints);
            } catch (IllegalArgumentException e) {
                problem(found[1] + "='" + found[0] + "' " + e.getMessage() + "; using "
                        + (fallback == null ? "none" : describe(fallback)));
                return fallback;
            }
        }

        /** Like {@link #value} but the text never appears in a message. */
        String secret(String name) {
            String[] found = lookup(name);
            if (found == null) {
                return null;
            }
            if (found[0].isEmpty()) {
                problem(found[1] + " is empty; connecting without a password");
                return null;
            }
            return found[0];
        }

        String readSecretFile(String name, String file) {
            try {
                byte[] bytes = java.nio.file.Files.readAllBytes(Paths.get(file));
                String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).strip();
                if (text.isEmpty()) {
                    problem("argument " + name + "=" + file + " names an empty file; connecting without a password");
                    return null;
                }
                return text;
            } catch (Exception e) {
                problem("argument " + name + "=" + file + " cannot be read (" + e.getClass().getSimpleName()
                        + "): make it readable by this JVM's user; connecting without a password");
                return null;
            }
        }

        private static String describe(Object value) {
            if (value instanceof List) {
                List<?> list = (List<?>) value;
                StringBuilder text = new StringBuilder();
                for (Object item : list) {
                    text.append(text.length() == 0 ? "" : ";").append(item);
                }
                return text.toString();
            }
            if (value instanceof Enum) {
                return ((Enum<?>) value).name().toLowerCase(Locale.ROOT);
            }
            return String.valueOf(value);
        }
    }
}
