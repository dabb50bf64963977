package dev.etcdagent.agent.scope;

/**
 * A configuration key read as a base key and, for an override, its {@link Scope}:
 * {@code /config/service/a/promo.discount@canary=10} is the override "canary 10%" of
 * {@code /config/service/a/promo.discount}. A key with no scope after an '@' is a base key.
 */
public final class ScopedKey {

    public final String key;
    public final String base;
    /** Null for a base key. */
    public final Scope scope;

    private ScopedKey(String key, String base, Scope scope) {
        this.key = key;
        this.base = base;
        this.scope = scope;
    }

    public static ScopedKey parse(String key) {
        int at = key.indexOf('@', key.lastIndexOf('/') + 1);
        while (at > 0) {
            Scope scope = Scope.parse(key.substring(at + 1));
            if (scope != null) {
                return new ScopedKey(key, key.substring(0, at), scope);
            }
            at = key.indexOf('@', at + 1);
        }
        return new ScopedKey(key, key, null);
    }

    public static ScopedKey of(String base, Scope scope) {
        return new ScopedKey(scope == null ? base : base + scope.suffix(), base, scope);
    }

    public boolean isOverride() {
        return scope != null;
    }
}
