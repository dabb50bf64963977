package dev.etcdagent.agent.convert;

/** Values as logs show them: on one line, without terminal tricks, and short. */
public final class Values {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Values() {
    }

    /**
     * The value with {@code \n}, {@code \t} and every other control character escaped (other ISO
     * controls, the Unicode line separators, bidirectional overrides and unpaired surrogates as
     * {@code \}{@code uXXXX}), cut to at most {@code max} characters, then {@code …(N chars)} with
     * the value's full length when it was cut. An escape is never split.
     */
    public static String abbreviate(String value, int max) {
        if (value == null) {
            return "null";
        }
        int limit = Math.max(0, max);
        StringBuilder text = new StringBuilder(Math.min(value.length(), limit) + 24);
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (pair) {
                if (text.length() + 2 > limit) {
                    break;
                }
                text.append(c).append(value.charAt(i + 1));
                i += 2;
                continue;
            }
            if (c == '\n' || c == '\t') {
                if (text.length() + 2 > limit) {
                    break;
                }
                text.append('\\').append(c == '\n' ? 'n' : 't');
            } else if (needsEscape(c)) {
                if (text.length() + 6 > limit) {
                    break;
                }
                text.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
                        .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
            } else {
                if (text.length() + 1 > limit) {
                    break;
                }
                text.append(c);
            }
            i++;
        }
        if (i < value.length()) {
            text.append("…(").append(value.length()).append(" chars)");
        }
        return text.toString();
    }

    /** What a refusal says of a value instead of showing it: {@code "1 char"}, {@code "12 chars"}. */
    public static String length(String value) {
        int length = value == null ? 0 : value.length();
        return length + (length == 1 ? " char" : " chars");
    }

    /** Characters that would break the log line or reorder what a terminal shows. */
    private static boolean needsEscape(char c) {
        return Character.isISOControl(c)
                || Character.isSurrogate(c)
                || c == '\u2028' || c == '\u2029'
                || c == '\u061c' || c == '\u200e' || c == '\u200f'
                || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
    }
}
