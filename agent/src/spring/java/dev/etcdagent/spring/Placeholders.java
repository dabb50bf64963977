package dev.etcdagent.spring;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The property names an {@code @Value} expression reads: every {@code ${name}} and {@code ${name:default}},
 * nested ones included ({@code ${a:${b}}}, {@code #{'${a}' + '${b}'}}). Compared in a relaxed form
 * (case, dashes and underscores ignored), as Spring Boot's property sources compare them.
 */
final class Placeholders {

    private Placeholders() {
    }

    /** Adds the relaxed form of each name {@code expression} reads to {@code names}. */
    static void collect(String expression, Set<String> names) {
        int start = expression.indexOf("${");
        while (start >= 0) {
            int end = closing(expression, start + 2);
            if (end < 0) {
                return;
            }
            String inner = expression.substring(start + 2, end);
            int separator = separator(inner);
            String name = separator < 0 ? inner : inner.substring(0, separator);
            if (name.contains("${")) {
                collect(name, names);
            } else if (!name.isBlank()) {
                names.add(relaxed(name.trim()));
            }
            if (separator >= 0) {
                collect(inner.substring(separator + 1), names);
            }
            start = expression.indexOf("${", end + 1);
        }
    }

    static Set<String> of(String... expressions) {
        Set<String> names = new LinkedHashSet<>();
        for (String expression : expressions) {
            collect(expression, names);
        }
        return names;
    }

    /** The name as Spring Boot compares it: lower case, without dashes and underscores. */
    static String relaxed(String name) {
        StringBuilder relaxed = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '-' && c != '_') {
                relaxed.append(c);
            }
        }
        return relaxed.toString().toLowerCase(Locale.ROOT);
    }

    /** The index of the '}' closing the placeholder whose name starts at {@code from}, or -1. */
    private static int closing(String text, int from) {
        int depth = 0;
        for (int i = from; i < text.length(); i++) {
            if (text.startsWith("${", i)) {
                depth++;
                i++;
            } else if (text.charAt(i) == '}') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
        }
        return -1;
    }

    /** The index of the top-level ':' between a placeholder's name and its default, or -1. */
    private static int separator(String inner) {
        int depth = 0;
        for (int i = 0; i < inner.length(); i++) {
            if (inner.startsWith("${", i)) {
                depth++;
                i++;
            } else if (inner.charAt(i) == '}') {
                depth--;
            } else if (inner.charAt(i) == ':' && depth == 0) {
                return i;
            }
        }
        return -1;
    }
}
