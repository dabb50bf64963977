package dev.etcdagent.agent.config;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import dev.etcdagent.agent.log.AgentLog;

/**
 * The agent's arguments: {@code -javaagent:etcd-agent.jar=key=value,key=value}, each also readable
 * from the system property {@code etcd.agent.<key>} or the environment variable
 * {@code ETCD_AGENT_<KEY>}. Precedence: agent argument, system property, environment, default. The
 * options themselves (keys, syntax, defaults) are declared in {@link Options}; here they are read,
 * and the rules that tie several together are applied.
 *
 * <p>A bad argument never stops the application: it is reported in {@link #problems()} (one line
 * each, naming the fix) and the default is used in its place.
 */
public final class AgentArguments {

    /** Every accepted key, in the order the README documents them. */
    public static final List<String> KEYS = Options.keys();

    private final Map<Option<?>, Object> values;
    private final String password;
    private final List<String> problems;

    private AgentArguments(Reader in) {
        // No lambdas or method references here: premain runs this, and their first use costs ~20 ms.
        for (Option<?> option : Options.ALL) {
            in.read(option);
        }
        values = in.values;
        String passwordValue = Options.PASSWORD.in(values);
        String passwordFile = Options.PASSWORD_FILE.in(values);
        if (passwordValue == null && passwordFile != null) {
            passwordValue = in.readSecretFile(Options.PASSWORD_FILE.key(), passwordFile);
        }
        password = passwordValue;
        if (user() != null && password == null) {
            in.problem(in.tool ? "--user " + user() + " has no password: set ETCD_AGENT_PASSWORD or give"
                            + " --password-file FILE"
                            : "argument user=" + user() + " has no password: set ETCD_AGENT_PASSWORD or"
                            + " password-file=<file>",
                    "connecting without authentication");
        }
        if ((cert() == null) != (key() == null)) {
            in.problem((in.tool ? "--cert and --key go together" : "arguments cert and key go together")
                    + " (a client certificate and its private key in PEM)", "connecting without a client certificate");
        }
        problems = Collections.unmodifiableList(in.problems);
    }

    /**
     * Reads the arguments from the agent argument string, then system properties, then environment.
     */
    public static AgentArguments parse(String agentArgs, Map<String, String> systemProperties,
                                       Map<String, String> environment) {
        return new AgentArguments(new Reader(agentArgs, systemProperties, environment));
    }

    /**
     * The operator's tool's connection: its options ({@code --endpoints ...}, by key) before the
     * environment. Problems name the options as the tool's command line does, and say no fallback:
     * the tool stops at the first one.
     */
    public static AgentArguments forTool(Map<String, String> toolOptions, Map<String, String> environment) {
        Reader reader = new Reader(null, Map.of(), environment);
        reader.tool = true;
        for (Map.Entry<String, String> option : toolOptions.entrySet()) {
            Option<?> declared = Options.named(option.getKey());
            if (declared != null) {
                reader.agentArgs.put(declared, option.getValue());
            }
        }
        return new AgentArguments(reader);
    }

    public String service() {
        return Options.SERVICE.in(values);
    }

    public List<URI> endpoints() {
        return Options.ENDPOINTS.in(values);
    }

    public String address() {
        return Options.ADDRESS.in(values);
    }

    public String host() {
        return Options.HOST.in(values);
    }

    /** The port to register when the JVM listens on several; 0 means the first one bound. */
    public int port() {
        return Options.PORT.in(values);
    }

    public Duration ttl() {
        return Duration.ofSeconds(Options.TTL.in(values));
    }

    public String instance() {
        return Options.INSTANCE.in(values);
    }

    /** This instance's labels, name to value, sorted by name; empty when it has none. */
    public Map<String, String> labels() {
        Map<String, String> labels = Options.LABELS.in(values);
        return labels == null ? Map.of() : labels;
    }

    /** The prefix of this JVM's configuration keys, without a trailing slash; {@code null} when there is none. */
    public String configPrefix() {
        return Options.CONFIG.in(values);
    }

    /** The snapshot file, or {@code null} when snapshots are off. */
    public Path snapshotFile() {
        return Options.SNAPSHOT.in(values);
    }

    /** The prefix of the status records, without a trailing slash; {@code null} when {@code status=off}. */
    public String statusPrefix() {
        return Options.STATUS.in(values);
    }

    public String user() {
        return Options.USER.in(values);
    }

    /** The etcd password, from {@code password} or else {@code password-file}; never logged. */
    public String password() {
        return password;
    }

    public Path cacert() {
        return Options.CACERT.in(values);
    }

    public Path cert() {
        return Options.CERT.in(values);
    }

    public Path key() {
        return Options.KEY.in(values);
    }

    /** The etcd cluster as its endpoints tell it: the same text for every way of listing the same URLs. */
    public String cluster() {
        return cluster(endpoints());
    }

    static String cluster(List<URI> endpoints) {
        TreeSet<String> urls = new TreeSet<>();
        for (URI endpoint : endpoints) {
            urls.add(endpoint.toString().toLowerCase(Locale.ROOT));
        }
        return String.join(",", urls);
    }

    public boolean usesTls() {
        for (URI endpoint : endpoints()) {
            if ("https".equals(endpoint.getScheme())) {
                return true;
            }
        }
        return false;
    }

    public AgentLog.Level logLevel() {
        return Options.LOG.in(values);
    }

    /** One line per bad argument, each naming the argument and the fix. */
    public List<String> problems() {
        return problems;
    }

    /** The arguments that have a value, as a log line; a secret is shown only as being set. */
    @Override
    public String toString() {
        StringBuilder line = new StringBuilder();
        for (Option<?> option : Options.ALL) {
            Object value = option.in(values);
            if (value != null) {
                line.append(line.length() == 0 ? "" : ", ").append(option.key()).append('=')
                        .append(option.isSecret() ? "(set)" : describe(value));
            }
        }
        return line.toString();
    }

    /** A value as its argument's text would give it: lists with ';', levels in lower case. */
    private static String describe(Object value) {
        if (value instanceof List) {
            StringBuilder text = new StringBuilder();
            for (Object item : (List<?>) value) {
                text.append(text.length() == 0 ? "" : ";").append(item);
            }
            return text.toString();
        }
        if (value instanceof Map) {
            StringBuilder text = new StringBuilder();
            for (Map.Entry<?, ?> label : ((Map<?, ?>) value).entrySet()) {
                text.append(text.length() == 0 ? "" : ";").append(label.getKey()).append(':').append(label.getValue());
            }
            return text.toString();
        }
        if (value instanceof Enum) {
            return ((Enum<?>) value).name().toLowerCase(Locale.ROOT);
        }
        return String.valueOf(value);
    }

    static Path defaultSnapshot(String service, List<URI> endpoints) {
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

    /** Reads each option from the three sources in order, and collects the problems. */
    private static final class Reader {
        private final Map<Option<?>, String> agentArgs = new HashMap<>();
        private final Map<String, String> systemProperties;
        private final Map<String, String> environment;
        private final List<String> problems = new ArrayList<>();
        /** Read for the operator's tool: {@link #agentArgs} hold its options, named {@code --key}. */
        private boolean tool;
        /** Each option read so far, and its value. */
        private final Map<Option<?>, Object> values = new HashMap<>();

        Reader(String agentArgString, Map<String, String> systemProperties, Map<String, String> environment) {
            this.systemProperties = systemProperties;
            this.environment = environment;
            if (agentArgString != null) {
                Option<?> list = null;
                Option<?> secret = null;
                for (String pair : agentArgString.split(",")) {
                    int eq = pair.indexOf('=');
                    String name = (eq < 0 ? pair : pair.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
                    Option<?> option = Options.named(name);
                    // A comma inside a secret is part of it: only an accepted key and '=' end it. Nothing of
                    // it is ever split off into a message ("unknown argument 'cret'" would show a part).
                    if (secret != null && (eq < 0 || option == null)) {
                        agentArgs.put(secret, agentArgs.get(secret) + "," + pair);
                        continue;
                    }
                    secret = null;
                    if (pair.trim().isEmpty()) {
                        continue;
                    }
                    // endpoints=http://a:2379,http://b:2379: ';' would end the command line in catalina.sh and shells.
                    if (eq < 0 && list != null) {
                        agentArgs.put(list, agentArgs.get(list) + ";" + pair);
                        continue;
                    }
                    list = option != null && option.isList() && eq >= 0 ? option : null;
                    if (option == null) {
                        problem("unknown argument '" + name + "' ignored; accepted: " + String.join(", ", KEYS));
                        continue;
                    }
                    if (eq < 0) {
                        problem("argument '" + name + "' has no value: write " + name + "=<value>");
                        continue;
                    }
                    agentArgs.put(option, pair.substring(eq + 1));
                    secret = option.isSecret() ? option : null;
                }
            }
            for (String property : systemProperties.keySet()) {
                if (property.startsWith(Option.SYSTEM_PROPERTY_PREFIX)
                        && Options.named(property.substring(Option.SYSTEM_PROPERTY_PREFIX.length())) == null) {
                    problem("unknown system property '" + property + "' ignored; accepted: "
                            + Option.SYSTEM_PROPERTY_PREFIX + "<key> for " + String.join(", ", KEYS));
                }
            }
        }

        void problem(String line) {
            problems.add(line);
        }

        /** A problem and what the agent does instead; the tool stops at it, so it says only the problem. */
        void problem(String line, String instead) {
            problems.add(tool ? line : line + "; " + instead);
        }

        /** Reads {@code option} into {@link #values}: its text's value, or its default when absent or bad. */
        void read(Option<?> option) {
            String text;
            String source;
            if (agentArgs.containsKey(option)) {
                text = agentArgs.get(option);
                source = (tool ? "--" : "argument ") + option.key();
            } else if (systemProperties.get(option.systemProperty()) != null) {
                text = systemProperties.get(option.systemProperty());
                source = "system property " + option.systemProperty();
            } else if (environment.get(option.environmentVariable()) != null) {
                text = environment.get(option.environmentVariable());
                source = "environment variable " + option.environmentVariable();
            } else {
                values.put(option, option.defaultValue(values));
                return;
            }
            try {
                values.put(option, option.parse(text, values));
            } catch (IllegalArgumentException e) {
                Object fallback = option.defaultValue(values);
                // A secret's text is never shown.
                problem(option.isSecret() ? source + " " + e.getMessage() : source + "='" + text + "' " + e.getMessage(),
                        option.isSecret() ? "connecting without a password" : "using "
                                + (fallback == null ? "none" : describe(fallback)));
                values.put(option, fallback);
            }
        }

        String readSecretFile(String name, String file) {
            try {
                byte[] bytes = java.nio.file.Files.readAllBytes(Paths.get(file));
                String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).strip();
                String named = tool ? "--" + name + " " + file : "argument " + name + "=" + file;
                if (text.isEmpty()) {
                    problem(named + " names an empty file", "connecting without a password");
                    return null;
                }
                return text;
            } catch (Exception e) {
                problem((tool ? "--" + name + " " + file : "argument " + name + "=" + file) + " cannot be read ("
                        + e.getClass().getSimpleName() + "): make it readable by this JVM's user",
                        "connecting without a password");
                return null;
            }
        }
    }
}
