package dev.etcdagent.agent.convert;

/** Values as logs show them: control characters escaped, long texts cut. */
public final class Values {

    private Values() {
    }

    public static String abbreviate(String value, int max) {
        if (value == null) {
            return "null";
        }
        StringBuilder text = new StringBuilder(Math.min(value.length(), max) + 16);
        int i = 0;
        for (; i < value.length() && text.length() < max; i++) {
            char c = value.charAt(i);
            if (c == '\n') {
                text.append("\\n");
            } else if (c == '\t') {
                text.append("\\t");
            } else if (c == '\r') {
                text.append("\\r");
            } else if (Character.isISOControl(c)) {
                text.append(String.format("\\u%04x", (int) c));
            } else {
                text.append(c);
            }
        }
        if (i < value.length()) {
            text.append("…(").append(value.length()).append(" chars)");
        }
        return text.toString();
    }
}
