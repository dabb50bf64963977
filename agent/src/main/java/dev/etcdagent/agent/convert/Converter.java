package dev.etcdagent.agent.convert;

/** Converts etcd's text to one target type. Thread-safe and immutable. */
public interface Converter<T> {
    T convert(String value) throws ConversionException;
}
