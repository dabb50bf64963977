package dev.etcdagent.agent.fields;

import java.util.ArrayList;
import java.util.List;

/**
 * A class's {@code @Dynamic} and {@code @Discover} fields as read from its bytes, in the one string the
 * rewritten static initialiser hands to the hook: for each field, {@code D} or {@code S}, its name, a
 * NUL, the annotation's value (empty for none), a NUL. Field names and annotation values cannot hold a
 * NUL in source code.
 */
public final class FieldAnnotations {

    /** One annotated field. */
    public static final class Entry {
        public final boolean dynamic;
        public final String field;
        public final String value;

        Entry(boolean dynamic, String field, String value) {
            this.dynamic = dynamic;
            this.field = field;
            this.value = value;
        }
    }

    private final StringBuilder text = new StringBuilder();

    public void add(boolean dynamic, String field, String value) {
        text.append(dynamic ? 'D' : 'S').append(field).append('\0').append(value).append('\0');
    }

    public String text() {
        return text.toString();
    }

    /** The fields {@code text} lists; text that is not such a list gives none. */
    public static List<Entry> parse(String text) {
        List<Entry> entries = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int nameEnd = text.indexOf('\0', at);
            int valueEnd = nameEnd < 0 ? -1 : text.indexOf('\0', nameEnd + 1);
            if (valueEnd < 0 || nameEnd == at) {
                break;
            }
            char kind = text.charAt(at);
            entries.add(new Entry(kind == 'D', text.substring(at + 1, nameEnd), text.substring(nameEnd + 1, valueEnd)));
            at = valueEnd + 1;
        }
        return entries;
    }

}
