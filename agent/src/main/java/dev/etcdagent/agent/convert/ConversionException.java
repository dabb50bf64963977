package dev.etcdagent.agent.convert;

/**
 * A value that does not convert. The message is a short reason, such as {@code "not a boolean (use
 * true/false, yes/no, on/off, 1/0)"}: the caller logs the value itself, abbreviated. Built-in reasons
 * never repeat the value; an application's converter's message may, and is cut short.
 */
public final class ConversionException extends Exception {

    private static final long serialVersionUID = 1L;

    public ConversionException(String reason) {
        super(reason);
    }

    public ConversionException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
