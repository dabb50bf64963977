package dev.etcdagent.agent.convert;

/**
 * A value that does not convert. The message is a short reason in the agent's own words, such as
 * {@code "not a boolean (use true/false, yes/no, on/off, 1/0)"} or {@code "URI(String) threw
 * URISyntaxException"}: never the value, nor an application's message, which could quote it.
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
