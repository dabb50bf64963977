package dev.etcdagent.agent.convert;

/** Converts etcd's text to one target type. Thread-safe and immutable. */
public interface Converter<T> {

    /**
     * The value as the target type; never null.
     *
     * @throws ConversionException when the value does not convert (a null value included); no
     *                             other exception escapes
     */
    T convert(String value) throws ConversionException;
}
