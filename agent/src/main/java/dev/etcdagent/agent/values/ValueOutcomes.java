package dev.etcdagent.agent.values;

/**
 * Told what became of each value a {@code @Dynamic} field or a system property was given, on the
 * thread that applied it and before anything later happens there: whoever reports "applied up to
 * revision N" must already know which of those values were refused.
 */
public interface ValueOutcomes {

    /** The field took the key's value (or its declared value, for a deletion). Called on every write: cheap. */
    void applied(String key, long revision, String field);

    /** The field refused the key's value; {@code reason} never quotes the value. */
    void rejected(String key, long revision, String field, String reason);
}
