package dev.etcdagent.agent.scope;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Which instances an override of a configuration key applies to, as written in its key: the base
 * key, {@code @}, the scope, and {@code @temporary} for a value bound to a lease
 * ({@code /config/service/a/promo.discount@label=zone:eu@temporary}). Plain {@code etcdctl} can
 * write every form.
 *
 * <p>Precedence, highest first: {@code instance=ID}, {@code label=NAME:VALUE}, {@code canary=N}
 * (the instances whose bucket is below N), {@code all}, then the base key itself. Within one kind a
 * temporary override beats a lasting one, and of two that are alike the newer (higher revision) wins.
 */
public final class Scope {

    /** In order of precedence, lowest first. */
    public enum Kind {
        ALL("all"),
        CANARY("canary="),
        LABEL("label="),
        INSTANCE("instance=");

        final String marker;

        Kind(String marker) {
            this.marker = marker;
        }
    }

    static final String TEMPORARY = "@temporary";

    public final Kind kind;
    /** The instance id, {@code name:value} label, or percentage; empty for {@link Kind#ALL}. */
    public final String argument;
    public final boolean temporary;

    private Scope(Kind kind, String argument, boolean temporary) {
        this.kind = kind;
        this.argument = argument;
        this.temporary = temporary;
    }

    public static Scope instance(String id) {
        return new Scope(Kind.INSTANCE, id, false);
    }

    public static Scope label(String name, String value) {
        return new Scope(Kind.LABEL, name + ":" + value, false);
    }

    public static Scope canary(int percent) {
        return new Scope(Kind.CANARY, Integer.toString(percent), false);
    }

    public static Scope all() {
        return new Scope(Kind.ALL, "", false);
    }

    public Scope temporary() {
        return new Scope(kind, argument, true);
    }

    /** The same scope, lasting. */
    public Scope lasting() {
        return new Scope(kind, argument, false);
    }

    /** What follows the base key: {@code @label=zone:eu}, {@code @all@temporary}. */
    public String suffix() {
        return "@" + kind.marker + argument + (temporary ? TEMPORARY : "");
    }

    /** Where it comes in the precedence: higher wins. */
    int rank() {
        return kind.ordinal() * 2 + (temporary ? 1 : 0);
    }

    /** Whether an instance of this id and these labels takes the override. {@code instanceId} may be null. */
    public boolean appliesTo(String instanceId, Map<String, String> labels) {
        switch (kind) {
            case INSTANCE:
                return argument.equals(instanceId);
            case LABEL:
                int colon = argument.indexOf(':');
                return colon > 0 && argument.substring(colon + 1).equals(labels.get(argument.substring(0, colon)));
            case CANARY:
                return instanceId != null && bucket(instanceId) < percent();
            default:
                return true;
        }
    }

    /** The canary percentage, 0 to 100. */
    public int percent() {
        return Integer.parseInt(argument);
    }

    /**
     * An instance's canary bucket: the CRC-32 of its id's UTF-8 bytes, modulo 100. The same id always
     * falls in the same bucket, so raising a canary's percentage keeps the instances it had.
     */
    public static int bucket(String instanceId) {
        CRC32 crc = new CRC32();
        crc.update(instanceId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % 100);
    }

    /** For people: {@code instance 10.0.0.7:8080}, {@code label zone=eu}, {@code canary 34%}, {@code all}. */
    public String describe() {
        String text;
        switch (kind) {
            case INSTANCE:
                text = "instance " + argument;
                break;
            case LABEL:
                text = "label " + argument.replaceFirst(":", "=");
                break;
            case CANARY:
                text = "canary " + argument + "%";
                break;
            default:
                text = "all";
        }
        return temporary ? text + ", temporary" : text;
    }

    /**
     * The scope a key's suffix names ({@code suffix} without the leading '@'), or null when it names
     * none: then the '@' is part of an ordinary key name.
     */
    static Scope parse(String suffix) {
        boolean temporary = suffix.endsWith(TEMPORARY);
        String scope = temporary ? suffix.substring(0, suffix.length() - TEMPORARY.length()) : suffix;
        for (Kind kind : Kind.values()) {
            if (kind == Kind.ALL) {
                if (scope.equals(kind.marker)) {
                    return new Scope(kind, "", temporary);
                }
            } else if (scope.startsWith(kind.marker) && scope.length() > kind.marker.length()) {
                String argument = scope.substring(kind.marker.length());
                if (valid(kind, argument)) {
                    return new Scope(kind, argument, temporary);
                }
            }
        }
        return null;
    }

    private static boolean valid(Kind kind, String argument) {
        if (kind == Kind.CANARY) {
            if (argument.length() > 3) {
                return false;
            }
            // A loop, not a stream: this runs on the first read, where a first lambda costs milliseconds.
            for (int i = 0; i < argument.length(); i++) {
                if (argument.charAt(i) < '0' || argument.charAt(i) > '9') {
                    return false;
                }
            }
            return Integer.parseInt(argument) <= 100;
        }
        if (kind == Kind.LABEL) {
            int colon = argument.indexOf(':');
            return colon > 0 && colon < argument.length() - 1;
        }
        return !argument.contains("/");
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Scope)) {
            return false;
        }
        Scope that = (Scope) other;
        return kind == that.kind && argument.equals(that.argument) && temporary == that.temporary;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, argument, temporary);
    }

    @Override
    public String toString() {
        return suffix();
    }
}
