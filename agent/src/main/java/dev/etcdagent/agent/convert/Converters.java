package dev.etcdagent.agent.convert;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * String → field type, after MicroProfile Config's rules: the built-in types, enums by constant
 * name, {@code Duration}, arrays and {@code List}/{@code Set} of those (comma-separated, {@code \,}
 * escapes a comma), and the implicit converters ({@code of(String)}, {@code valueOf(String)},
 * {@code parse(CharSequence)}, a {@code String} constructor). Strict: anything doubtful is an error.
 */
public final class Converters {

    private static final Map<Type, Converter<?>> CACHE = new ConcurrentHashMap<>();
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ns|us|ms|s|m|h|d)",
            Pattern.CASE_INSENSITIVE);

    private Converters() {
    }

    /** The converter for a field's generic type; IllegalArgumentException when the type has none. */
    public static Converter<?> forType(Type type) {
        Converter<?> cached = CACHE.get(type);
        if (cached != null) {
            return cached;
        }
        Converter<?> created = create(type);
        CACHE.putIfAbsent(type, created);
        return created;
    }

    private static Converter<?> create(Type type) {
        if (type instanceof ParameterizedType) {
            ParameterizedType parameterized = (ParameterizedType) type;
            Type raw = parameterized.getRawType();
            if (raw == List.class || raw == Collection.class || raw == Set.class) {
                Converter<?> element = forType(elementType(parameterized.getActualTypeArguments()[0]));
                return raw == Set.class ? set(element) : list(element);
            }
            throw unsupported(type);
        }
        if (type instanceof GenericArrayType) {
            throw unsupported(type);
        }
        if (!(type instanceof Class)) {
            throw unsupported(type);
        }
        Class<?> cls = (Class<?>) type;
        if (cls == List.class || cls == Collection.class) {
            return list(forType(String.class));
        }
        if (cls == Set.class) {
            return set(forType(String.class));
        }
        if (cls.isArray()) {
            return array(cls.getComponentType(), forType(cls.getComponentType()));
        }
        Converter<?> builtIn = builtIn(cls);
        if (builtIn != null) {
            return builtIn;
        }
        if (cls.isEnum()) {
            return enumConverter(cls);
        }
        return implicit(cls);
    }

    private static Type elementType(Type argument) {
        if (argument instanceof WildcardType) {
            Type[] upper = ((WildcardType) argument).getUpperBounds();
            return upper.length == 1 && upper[0] != Object.class ? upper[0] : String.class;
        }
        return argument;
    }

    private static IllegalArgumentException unsupported(Type type) {
        return new IllegalArgumentException("no converter for type " + type.getTypeName()
                + ": use a String, a primitive or its wrapper, BigDecimal, BigInteger, an enum, Duration,"
                + " an array or List/Set of those, or a type with of(String), valueOf(String),"
                + " parse(CharSequence) or a String constructor");
    }

    private static Converter<?> builtIn(Class<?> cls) {
        if (cls == String.class) {
            return value -> value;
        }
        if (cls == boolean.class || cls == Boolean.class) {
            return trimmed(Converters::toBoolean);
        }
        if (cls == int.class || cls == Integer.class) {
            return trimmed(text -> (int) integer(text, Integer.MIN_VALUE, Integer.MAX_VALUE, "int"));
        }
        if (cls == long.class || cls == Long.class) {
            return trimmed(text -> integer(text, Long.MIN_VALUE, Long.MAX_VALUE, "long"));
        }
        if (cls == short.class || cls == Short.class) {
            return trimmed(text -> (short) integer(text, Short.MIN_VALUE, Short.MAX_VALUE, "short"));
        }
        if (cls == byte.class || cls == Byte.class) {
            return trimmed(text -> (byte) integer(text, Byte.MIN_VALUE, Byte.MAX_VALUE, "byte"));
        }
        if (cls == double.class || cls == Double.class) {
            return trimmed(text -> floating(text, false));
        }
        if (cls == float.class || cls == Float.class) {
            return trimmed(text -> (float) floating(text, true));
        }
        if (cls == char.class || cls == Character.class) {
            return trimmed(text -> {
                if (text.codePointCount(0, text.length()) != 1 || text.length() != 1) {
                    throw new ConversionException("not a single character");
                }
                return text.charAt(0);
            });
        }
        if (cls == BigDecimal.class) {
            return trimmed(text -> {
                try {
                    return new BigDecimal(text);
                } catch (NumberFormatException e) {
                    throw new ConversionException("not a decimal number");
                }
            });
        }
        if (cls == BigInteger.class) {
            return trimmed(text -> {
                try {
                    return new BigInteger(text);
                } catch (NumberFormatException e) {
                    throw new ConversionException("not a whole number");
                }
            });
        }
        if (cls == Duration.class) {
            return trimmed(Converters::duration);
        }
        return null;
    }

    /** Trims, rejects empty text, and turns any runtime failure into a ConversionException. */
    private static <T> Converter<T> trimmed(Converter<T> converter) {
        return value -> {
            String text = value.trim();
            if (text.isEmpty()) {
                throw new ConversionException("empty value");
            }
            try {
                return converter.convert(text);
            } catch (ConversionException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ConversionException(String.valueOf(e.getMessage()), e);
            }
        };
    }

    private static Boolean toBoolean(String text) throws ConversionException {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "true":
            case "yes":
            case "on":
            case "1":
                return Boolean.TRUE;
            case "false":
            case "no":
            case "off":
            case "0":
                return Boolean.FALSE;
            default:
                throw new ConversionException("not a boolean (use true/false, yes/no, on/off, 1/0)");
        }
    }

    private static long integer(String text, long min, long max, String type) throws ConversionException {
        BigInteger value;
        try {
            value = new BigInteger(text);
        } catch (NumberFormatException e) {
            throw new ConversionException("not a whole number");
        }
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new ConversionException("out of range for " + type + " (" + min + ".." + max + ")");
        }
        return value.longValue();
    }

    private static double floating(String text, boolean single) throws ConversionException {
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new ConversionException("not a number");
        }
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new ConversionException("not a finite number");
        }
        if (single && Float.isInfinite((float) value)) {
            throw new ConversionException("out of range for float");
        }
        return value;
    }

    private static Duration duration(String text) throws ConversionException {
        Matcher matcher = SHORT_DURATION.matcher(text);
        if (matcher.matches()) {
            long amount;
            try {
                amount = Long.parseLong(matcher.group(1));
            } catch (NumberFormatException e) {
                throw new ConversionException("duration out of range");
            }
            try {
                switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
                    case "ns":
                        return Duration.ofNanos(amount);
                    case "us":
                        return Duration.ofNanos(Math.multiplyExact(amount, 1_000L));
                    case "ms":
                        return Duration.ofMillis(amount);
                    case "s":
                        return Duration.ofSeconds(amount);
                    case "m":
                        return Duration.ofMinutes(amount);
                    case "h":
                        return Duration.ofHours(amount);
                    default:
                        return Duration.ofDays(amount);
                }
            } catch (ArithmeticException e) {
                throw new ConversionException("duration out of range");
            }
        }
        try {
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new ConversionException("not a duration (use ISO-8601 like PT5S, or 200ms, 5s, 1m, 2h, 1d)");
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Converter<?> enumConverter(Class<?> cls) {
        Class<? extends Enum> enumType = (Class<? extends Enum>) cls;
        return trimmed(text -> {
            for (Object constant : enumType.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(text)) {
                    return constant;
                }
            }
            List<String> names = new ArrayList<>();
            for (Object constant : enumType.getEnumConstants()) {
                names.add(((Enum<?>) constant).name());
            }
            throw new ConversionException("not one of " + String.join(", ", names));
        });
    }

    /** MicroProfile's implicit converters, looked up once, in the specified order. */
    private static Converter<?> implicit(Class<?> cls) {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        MethodHandle handle = staticFactory(lookup, cls, "of", String.class);
        if (handle == null) {
            handle = staticFactory(lookup, cls, "valueOf", String.class);
        }
        if (handle == null) {
            handle = staticFactory(lookup, cls, "parse", CharSequence.class);
        }
        if (handle == null && !Modifier.isAbstract(cls.getModifiers())) {
            try {
                handle = lookup.findConstructor(cls, MethodType.methodType(void.class, String.class));
            } catch (ReflectiveOperationException | SecurityException e) {
                handle = null;
            }
        }
        if (handle == null || !Modifier.isPublic(cls.getModifiers())) {
            throw unsupported(cls);
        }
        MethodHandle factory = handle.asType(MethodType.methodType(Object.class, handle.type().parameterType(0)));
        return trimmed(text -> {
            try {
                Object result = factory.invoke(text);
                if (result == null) {
                    throw new ConversionException("the converter returned nothing");
                }
                return result;
            } catch (ConversionException e) {
                throw e;
            } catch (Throwable e) {
                Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
                throw new ConversionException(cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : ": " + Values.abbreviate(cause.getMessage(), 120)));
            }
        });
    }

    private static MethodHandle staticFactory(MethodHandles.Lookup lookup, Class<?> cls, String name,
                                              Class<?> parameter) {
        try {
            java.lang.reflect.Method method = cls.getMethod(name, parameter);
            if (!Modifier.isStatic(method.getModifiers()) || !cls.isAssignableFrom(method.getReturnType())) {
                return null;
            }
            return lookup.unreflect(method);
        } catch (ReflectiveOperationException | SecurityException e) {
            return null;
        }
    }

    private static List<String> split(String value) throws ConversionException {
        List<String> parts = new ArrayList<>();
        if (value.trim().isEmpty()) {
            return parts;
        }
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() && value.charAt(i + 1) == ',') {
                current.append(',');
                i++;
            } else if (c == ',') {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i).trim().isEmpty()) {
                throw new ConversionException("element " + (i + 1) + " of the list is empty");
            }
        }
        return parts;
    }

    private static List<Object> elements(String value, Converter<?> element) throws ConversionException {
        List<Object> converted = new ArrayList<>();
        List<String> parts = split(value);
        for (int i = 0; i < parts.size(); i++) {
            try {
                converted.add(element.convert(parts.get(i).trim()));
            } catch (ConversionException e) {
                throw new ConversionException("element " + (i + 1) + ": " + e.getMessage());
            }
        }
        return converted;
    }

    private static Converter<?> list(Converter<?> element) {
        return value -> List.copyOf(elements(value, element));
    }

    private static Converter<?> set(Converter<?> element) {
        return value -> Collections.unmodifiableSet(new LinkedHashSet<>(elements(value, element)));
    }

    private static Converter<?> array(Class<?> component, Converter<?> element) {
        return value -> {
            List<Object> converted = elements(value, element);
            Object array = Array.newInstance(component, converted.size());
            for (int i = 0; i < converted.size(); i++) {
                Array.set(array, i, converted.get(i));
            }
            return array;
        };
    }
}
