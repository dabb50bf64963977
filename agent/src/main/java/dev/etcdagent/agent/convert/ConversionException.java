package dev.etcdagent.agent.convert;

/** A value that does not convert; the message is a short reason that never repeats the value. */
public final class ConversionException extends Exception {

    private static final long serialVersionUID = 1L;

    public ConversionException(String reason) {
        super(reason);
    }

    public ConversionException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
