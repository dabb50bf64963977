package dev.etcdagent.agent.etcd;

/** One key's state at a revision: a put value, or a deletion ({@code value == null}). */
public final class Change {
    public final String key;
    /** The value, or {@code null} when the key was deleted. */
    public final String value;
    /** The revision of the change (etcd's mod_revision; for a deletion, the revision that deleted it). */
    public final long revision;
    /** The value's bytes were not valid UTF-8; {@link #value} holds them decoded with replacement characters. */
    public final boolean malformed;

    public Change(String key, String value, long revision, boolean malformed) {
        this.key = key;
        this.value = value;
        this.revision = revision;
        this.malformed = malformed;
    }

    public boolean isDelete() {
        return value == null;
    }
}
