package dev.etcdagent.agent.config;

import java.util.Locale;
import java.util.Map;

/**
 * One agent argument, declared once in {@link Options} the way Elastic's APM agent declares a
 * {@code ConfigurationOption}: its key, its {@link Syntax} (text to value, and the one-line explanation of
 * a bad text), its default, a one-line description, and whether it is a secret, a list, or also a connection
 * option of the operator's tool. {@link AgentArguments} reads, checks and logs the arguments by these
 * declarations, the tool takes its connection options and their {@code --help} lines from them, and
 * {@code OptionsTest} holds the README's table of arguments to them row by row.
 *
 * <p>The declaring methods ({@link #byDefault}, {@link #secret}, ...) run in {@link Options}' static
 * initialiser only; an option never changes after it.
 *
 * @param <T> the type of the option's value
 */
public final class Option<T> {

    /** The README's default for an option whose absence means nothing is set. */
    private static final String NO_DEFAULT = "none";

    /** Every option is also the system property {@code etcd.agent.<key>}. */
    static final String SYSTEM_PROPERTY_PREFIX = "etcd.agent.";

    private final String key;
    private final Syntax<T> syntax;
    private final String description;
    private String defaultText = NO_DEFAULT;
    private String defaultLiteral;
    private boolean secret;
    private boolean list;
    private String toolValue;

    /**
     * An option whose value, when absent, is {@code syntax}'s for an absent text (mostly {@code null}). The
     * description is Markdown.
     */
    Option(String key, Syntax<T> syntax, String description) {
        this.key = key;
        this.syntax = syntax;
        this.description = description;
    }

    /** The default is what {@code literal} parses to, and the README shows it as {@code `literal`}. */
    Option<T> byDefault(String literal) {
        defaultLiteral = literal;
        defaultText = "`" + literal + "`";
        return this;
    }

    /** The README tells the value of an absent option as {@code documented}, e.g. "detected". */
    Option<T> whenAbsent(String documented) {
        defaultText = documented;
        return this;
    }

    /** Never shown: no message quotes its text, and the log line says only that it is set. */
    Option<T> secret() {
        secret = true;
        return this;
    }

    /** In the agent argument, a token without '=' after it continues its value, a list. */
    Option<T> list() {
        list = true;
        return this;
    }

    /** Also the tool's {@code --key VALUE} option, with {@code value} naming what to write in --help. */
    Option<T> forTool(String value) {
        toolValue = value;
        return this;
    }

    public String key() {
        return key;
    }

    boolean isSecret() {
        return secret;
    }

    boolean isList() {
        return list;
    }

    /** Whether the tool takes it as {@code --key VALUE}, one of its connection options. */
    boolean isToolOption() {
        return toolValue != null;
    }

    /** Its row in the README's table: key, default, description, in Markdown. */
    String readmeRow() {
        return "| `" + key + "` | " + defaultText + " | " + description + " |";
    }

    /** Its line in the tool's --help: {@code --key VALUE}, the description and any default, as plain text. */
    public String helpLine() {
        String line = String.format("  %-23s%s", "--" + key + " " + toolValue, description);
        if (!defaultText.equals(NO_DEFAULT)) {
            line += " (default " + defaultText + ")";
        }
        return line.replace("`", "");
    }

    public String systemProperty() {
        return SYSTEM_PROPERTY_PREFIX + key;
    }

    public String environmentVariable() {
        return "ETCD_AGENT_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** Parses a text given for this option; {@code earlier} holds the values of the options declared before. */
    T parse(String text, Map<Option<?>, Object> earlier) {
        return syntax.parse(text, earlier);
    }

    /** The value when the option is absent or its text is bad. */
    T defaultValue(Map<Option<?>, Object> earlier) {
        return defaultLiteral != null ? syntax.parse(defaultLiteral, earlier) : syntax.absent(earlier);
    }

    /** This option's value in {@code values}, which maps each option to a value of its type. */
    @SuppressWarnings("unchecked")
    T in(Map<Option<?>, Object> values) {
        return (T) values.get(this);
    }

    @Override
    public String toString() {
        return key;
    }
}
