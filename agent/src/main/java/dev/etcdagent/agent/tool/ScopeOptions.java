package dev.etcdagent.agent.tool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.etcdagent.agent.convert.ConversionException;
import dev.etcdagent.agent.convert.Converters;
import dev.etcdagent.agent.scope.Scope;

/**
 * The scope options of put, delete, promote and abort ({@code --instances ID[,ID…]},
 * {@code --where LABEL=VALUE}, {@code --canary N%}, at most one of them) and put's {@code --for}.
 */
final class ScopeOptions {

    static final List<String> NAMES = List.of("instances", "where", "canary");

    private ScopeOptions() {
    }

    /** The scopes the options name (several for --instances), or an empty list for none. */
    static List<Scope> scopes(Map<String, String> options) {
        String given = null;
        for (String name : NAMES) {
            if (options.containsKey(name)) {
                if (given != null) {
                    throw new ToolFailure("--" + given + " and --" + name + " together: give one scope per change");
                }
                given = name;
            }
        }
        List<Scope> scopes = new ArrayList<>();
        if (given == null) {
            return scopes;
        }
        String text = options.get(given).trim();
        switch (given) {
            case "instances":
                for (String id : text.split(",")) {
                    if (id.isBlank() || id.contains("/") || id.contains("@temporary")) {
                        throw new ToolFailure("--instances " + text + ": give instance ids as status lists them,"
                                + " comma-separated, e.g. --instances 10.0.0.7:8080,10.0.0.8:8080");
                    }
                    scopes.add(Scope.instance(id.trim()));
                }
                return scopes;
            case "where":
                String[] pair = text.split("[=:]", 2);
                if (pair.length != 2 || !labelPart(pair[0]) || !labelPart(pair[1])) {
                    throw new ToolFailure("--where " + text + ": give one label as NAME=VALUE (letters, digits, '.',"
                            + " '_', '-'), e.g. --where zone=eu");
                }
                scopes.add(Scope.label(pair[0], pair[1]));
                return scopes;
            default:
                String percent = text.endsWith("%") ? text.substring(0, text.length() - 1) : text;
                if (!percent.matches("[0-9]{1,3}") || Integer.parseInt(percent) > 100) {
                    throw new ToolFailure("--canary " + text + ": give a percentage from 0 to 100, e.g. --canary 10%");
                }
                scopes.add(Scope.canary(Integer.parseInt(percent)));
                return scopes;
        }
    }

    /** put's --for: how long a temporary value lasts, whole seconds, at least one; null without it. */
    static Duration temporary(Map<String, String> options) {
        String text = options.get("for");
        if (text == null) {
            return null;
        }
        Duration ttl;
        try {
            ttl = (Duration) Converters.forType(Duration.class).convert(text.trim());
        } catch (ConversionException | IllegalArgumentException e) {
            ttl = null;
        }
        if (ttl == null || ttl.getSeconds() < 1 || ttl.getNano() != 0) {
            throw new ToolFailure("--for " + text + ": give how long the value lasts in whole seconds or more,"
                    + " e.g. --for 24h, --for 90m, --for 30s");
        }
        return ttl;
    }

    private static boolean labelPart(String text) {
        return text.matches("[A-Za-z0-9._-]+");
    }
}
