package dev.etcdagent.agent.config;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.etcdagent.agent.log.AgentLog;

/**
 * How an option's text becomes its value, and what its absence means. An
 * {@link IllegalArgumentException}'s message says what is wrong with a text and how to write it.
 *
 * <p>One class for all syntaxes, each an instance told apart by identity: premain loads them all, and
 * there each class costs it about half a millisecond (an anonymous class per option cost 9 ms).
 *
 * @param <T> the type of the values
 */
final class Syntax<T> {

    static final int MAX_TTL_SECONDS = 86_400;
    private static final String ENDPOINT_FORM =
            "must be URLs with scheme, host and port, e.g. http://127.0.0.1:2379,https://10.0.0.2:2379";

    /** A key prefix other than the root. */
    static final Syntax<String> SERVICE_ID = new Syntax<>();
    /** etcd client URLs, separated by ',' or ';'. */
    static final Syntax<List<URI>> URL_LIST = new Syntax<>();
    static final Syntax<String> HOST_AND_PORT = new Syntax<>();
    static final Syntax<String> HOST_NAME = new Syntax<>();
    /** A TCP port; absent, 0: whichever the JVM listens on first. */
    static final Syntax<Integer> LISTENING_PORT = new Syntax<>();
    static final Syntax<Integer> LEASE_TTL = new Syntax<>();
    /** The last segment of a key. */
    static final Syntax<String> INSTANCE_ID = new Syntax<>();
    /** {@code name:value} pairs, comma-separated; absent, none. */
    static final Syntax<Map<String, String>> LABELS = new Syntax<>();
    /** A key prefix; absent, {@code /config} + the service id. */
    static final Syntax<String> CONFIG_PREFIX = new Syntax<>();
    /** {@code on}, {@code off} or a path; absent, on when there is a service. */
    static final Syntax<Path> SNAPSHOT_FILE = new Syntax<>();
    /** A key prefix other than the root, or {@code off}. */
    static final Syntax<String> STATUS_PREFIX = new Syntax<>();
    /** Any text but an empty one, trimmed. */
    static final Syntax<String> TEXT = new Syntax<>();
    /** Any text but an empty one, as it is; the message for an empty one says what happens instead. */
    static final Syntax<String> SECRET_TEXT = new Syntax<>();
    /** A file this JVM's user can read. */
    static final Syntax<Path> READABLE_FILE = new Syntax<>();
    /** An {@link AgentLog.Level}'s name, in any case. */
    static final Syntax<AgentLog.Level> LOG_LEVEL = new Syntax<>();

    private Syntax() {
    }

    /** The value of {@code text}; {@code earlier} holds the values of the options declared before. */
    @SuppressWarnings("unchecked")
    T parse(String text, Map<Option<?>, Object> earlier) {
        return (T) value(text, earlier);
    }

    /** The value of an absent option that has no literal default. */
    @SuppressWarnings("unchecked")
    T absent(Map<Option<?>, Object> earlier) {
        String service = Options.SERVICE.in(earlier);
        if (this == LISTENING_PORT) {
            return (T) Integer.valueOf(0);
        }
        if (this == CONFIG_PREFIX) {
            return service == null ? null : (T) ("/config" + service);
        }
        if (this == SNAPSHOT_FILE) {
            return service == null ? null : (T) AgentArguments.defaultSnapshot(service, Options.ENDPOINTS.in(earlier));
        }
        return null;
    }

    private Object value(String text, Map<Option<?>, Object> earlier) {
        if (this == SERVICE_ID) {
            return namedPrefix(text, "must name a service, e.g. service=/service/a");
        }
        if (this == URL_LIST) {
            return urlList(text);
        }
        if (this == HOST_AND_PORT) {
            return hostAndPort(text);
        }
        if (this == HOST_NAME) {
            return hostName(text);
        }
        if (this == LISTENING_PORT) {
            return wholeNumber(text, 1, 65_535, "a TCP port");
        }
        if (this == LEASE_TTL) {
            return wholeNumber(text, 1, MAX_TTL_SECONDS, "a lease TTL in seconds");
        }
        if (this == INSTANCE_ID) {
            return instanceId(text);
        }
        if (this == LABELS) {
            return labels(text);
        }
        if (this == CONFIG_PREFIX) {
            return keyPrefix(text);
        }
        if (this == SNAPSHOT_FILE) {
            return snapshotFile(text, earlier);
        }
        if (this == STATUS_PREFIX) {
            return "off".equalsIgnoreCase(text.trim()) ? null
                    : namedPrefix(text, "must name a prefix, e.g. /etcd-agent/status, or be off");
        }
        if (this == TEXT) {
            return nonEmpty(text);
        }
        if (this == SECRET_TEXT) {
            if (text.isEmpty()) {
                throw new IllegalArgumentException("is empty");
            }
            return text;
        }
        if (this == READABLE_FILE) {
            return readableFile(text);
        }
        return logLevel(text); // LOG_LEVEL, the only one left
    }

    private static Object snapshotFile(String text, Map<Option<?>, Object> earlier) {
        String trimmed = nonEmpty(text);
        switch (trimmed.toLowerCase(Locale.ROOT)) {
            case "off":
            case "false":
            case "no":
                return null;
            case "on":
            case "true":
            case "yes":
                if (Options.SERVICE.in(earlier) == null) {
                    throw new IllegalArgumentException("needs service=..., or a file path");
                }
                return SNAPSHOT_FILE.absent(earlier);
            default:
                return Paths.get(trimmed);
        }
    }

    private static List<URI> urlList(String text) {
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

    /**
     * Names and values of letters, digits, '.', '_' and '-' only: they are matched by operators' commands
     * and may name keys in etcd.
     */
    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new TreeMap<>();
        for (String part : text.split("[;,]")) {
            String trimmed = part.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            String name = colon < 0 ? "" : trimmed.substring(0, colon).trim();
            String value = colon < 0 ? "" : trimmed.substring(colon + 1).trim();
            if (!isLabelPart(name) || !isLabelPart(value)) {
                throw new IllegalArgumentException("must list name:value pairs of letters, digits, '.', '_' and '-',"
                        + " e.g. labels=zone:eu,tier:gold");
            }
            if (labels.put(name, value) != null) {
                throw new IllegalArgumentException("names the label '" + name + "' twice");
            }
        }
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("must list at least one name:value pair, e.g. labels=zone:eu");
        }
        return Collections.unmodifiableMap(labels);
    }

    /** Letters, digits, '.', '_' and '-', at least one (no regular expression: this runs in premain). */
    private static boolean isLabelPart(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static String instanceId(String text) {
        String id = nonEmpty(text);
        if (id.contains("/")) {
            throw new IllegalArgumentException("must not contain '/': it is the last segment of the key");
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

    /** A key prefix other than the root, which would take in every key in etcd; {@code refusal} says so. */
    private static String namedPrefix(String text, String refusal) {
        String prefix = keyPrefix(text);
        if (prefix.equals("/")) {
            throw new IllegalArgumentException(refusal);
        }
        return prefix;
    }

    private static Path readableFile(String text) {
        Path path = Paths.get(nonEmpty(text));
        if (!path.toFile().isFile() || !path.toFile().canRead()) {
            throw new IllegalArgumentException("file " + path + " does not exist or is not readable");
        }
        return path;
    }

    /** By the constants' names rather than {@code Level.valueOf}, whose first call costs reflection. */
    private static AgentLog.Level logLevel(String text) {
        for (AgentLog.Level level : AgentLog.Level.values()) {
            if (level.name().equalsIgnoreCase(text.trim())) {
                return level;
            }
        }
        throw new IllegalArgumentException("must be one of off, error, warn, info, debug");
    }

    private static String nonEmpty(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return trimmed;
    }
}
