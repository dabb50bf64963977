package dev.etcdagent.agent.convert;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.UndeclaredThrowableException;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * String → field type, after MicroProfile Config's rules: the built-in types, enums by constant
 * name, {@code Duration}, arrays and {@code List}/{@code Set} of those (comma-separated, {@code \,}
 * escapes a comma), and the implicit converters ({@code of(String)}, {@code valueOf(String)},
 * {@code parse(CharSequence)}, a {@code String} constructor). Strict: anything doubtful is an error.
 * Reasons are the agent's own words and never repeat the value, nor an application's message that
 * could: values can be secrets, and reasons go to logs and status records.
 */
public final class Converters {

    /**
     * Converters of classes, each held by its class: an application's enum or value type (and the
     * methods its converter calls) must not keep a redeployed application's class loader alive.
     */
    private static final ClassValue<Converter<?>> BY_CLASS = new ClassValue<>() {
        @Override
        protected Converter<?> computeValue(Class<?> type) {
            return create(type);
        }
    };
    // Lower-case units only: "1M" reads as a month to many people, and ISO already covers upper case.
    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]+)\\s*(ns|us|ms|s|m|h|d)");
    private static final int MAX_LISTED_CONSTANTS = 20;

    private Converters() {
    }

    /**
     * The converter for a field's generic type: a {@code Class}, or a {@code ParameterizedType} for
     * {@code List<X>}, {@code Set<X>} or {@code Collection<X>}. Cached per class; a collection's
     * converter is a small wrapper around its element class's cached one.
     *
     * @throws IllegalArgumentException when the type has no converter
     */
    public static Converter<?> forType(Type type) {
        if (type == null) {
            throw new IllegalArgumentException("no converter for a null type");
        }
        if (type instanceof Class) {
            return BY_CLASS.get((Class<?>) type);
        }
        return create(type);
    }

    private static Converter<?> create(Type type) {
        if (type instanceof ParameterizedType) {
            ParameterizedType parameterized = (ParameterizedType) type;
            Type raw = parameterized.getRawType();
            if (raw == List.class || raw == Collection.class || raw == Set.class) {
                Converter<?> element = elementConverter(type, elementType(parameterized.getActualTypeArguments()[0]));
                return raw == Set.class ? set(element) : list(element);
            }
            throw unsupported(type);
        }
        if (!(type instanceof Class)) {
            // GenericArrayType, TypeVariable, WildcardType: nothing to instantiate from a string.
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
            Class<?> component = cls.getComponentType();
            return array(component, elementConverter(type, component));
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

    /**
     * {@code ?} holds strings; a bounded wildcard holds its bound, since strings in a field declared
     * {@code List<? extends Integer>} would fail with a ClassCastException where the application reads it.
     */
    private static Type elementType(Type argument) {
        if (argument instanceof WildcardType) {
            WildcardType wildcard = (WildcardType) argument;
            Type[] lower = wildcard.getLowerBounds();
            if (lower.length == 1) {
                return lower[0];
            }
            Type[] upper = wildcard.getUpperBounds();
            return upper.length == 1 && upper[0] != Object.class ? upper[0] : String.class;
        }
        return argument;
    }

    /** Elements are single values: one comma-separated level, as in MicroProfile. */
    private static Converter<?> elementConverter(Type container, Type element) {
        Type raw = element instanceof ParameterizedType ? ((ParameterizedType) element).getRawType() : element;
        boolean nested = raw instanceof Class
                && (((Class<?>) raw).isArray() || Collection.class.isAssignableFrom((Class<?>) raw));
        if (nested) {
            throw new IllegalArgumentException("no converter for type " + container.getTypeName()
                    + ": the elements of an array, List or Set cannot themselves be arrays or collections");
        }
        try {
            return forType(element);
        } catch (IllegalArgumentException e) {
            throw unsupported(container);
        }
    }

    private static IllegalArgumentException unsupported(Type type) {
        return new IllegalArgumentException("no converter for type " + type.getTypeName()
                + ": use a String, a primitive or its wrapper, BigDecimal, BigInteger, an enum, Duration,"
                + " an array or List/Set of those, or a public type with a public static of(String),"
                + " valueOf(String) or parse(CharSequence) method or a public String constructor");
    }

    private static Converter<?> builtIn(Class<?> cls) {
        if (cls == String.class) {
            return value -> {
                if (value == null) {
                    throw new ConversionException("no value");
                }
                return value;
            };
        }
        if (cls == boolean.class || cls == Boolean.class) {
            return scalar(Converters::toBoolean);
        }
        if (cls == int.class || cls == Integer.class) {
            return scalar(text -> (int) integer(text, Integer.MIN_VALUE, Integer.MAX_VALUE, "int"));
        }
        if (cls == long.class || cls == Long.class) {
            return scalar(text -> integer(text, Long.MIN_VALUE, Long.MAX_VALUE, "long"));
        }
        if (cls == short.class || cls == Short.class) {
            return scalar(text -> (short) integer(text, Short.MIN_VALUE, Short.MAX_VALUE, "short"));
        }
        if (cls == byte.class || cls == Byte.class) {
            return scalar(text -> (byte) integer(text, Byte.MIN_VALUE, Byte.MAX_VALUE, "byte"));
        }
        if (cls == double.class || cls == Double.class) {
            return scalar(Converters::toDouble);
        }
        if (cls == float.class || cls == Float.class) {
            return scalar(Converters::toFloat);
        }
        if (cls == char.class || cls == Character.class) {
            return scalar(text -> {
                if (text.length() != 1) {
                    throw new ConversionException("not a single character");
                }
                return text.charAt(0);
            });
        }
        if (cls == BigDecimal.class) {
            return scalar(text -> {
                try {
                    requireShortNumber(text);
                    requireAscii(text);
                    return new BigDecimal(text);
                } catch (NumberFormatException e) {
                    throw new ConversionException("not a decimal number");
                }
            });
        }
        if (cls == BigInteger.class) {
            return scalar(text -> {
                try {
                    requireShortNumber(text);
                    requireAscii(text);
                    return new BigInteger(text);
                } catch (NumberFormatException e) {
                    throw new ConversionException("not a whole number");
                }
            });
        }
        if (cls == Duration.class) {
            return scalar(Converters::duration);
        }
        return null;
    }

    /**
     * A converter of one trimmed, non-empty value. Built-in parsers throw only ConversionException;
     * the catch is the guarantee that nothing else ever escapes, with a reason that cannot echo the
     * value (JDK messages such as NumberFormatException's do), nor a cause that could.
     */
    private static <T> Converter<T> scalar(Converter<T> parser) {
        return value -> {
            if (value == null) {
                throw new ConversionException("no value");
            }
            String text = value.trim();
            if (text.isEmpty()) {
                throw new ConversionException("empty value");
            }
            try {
                return parser.convert(text);
            } catch (RuntimeException e) {
                throw new ConversionException("invalid value (" + typeName(e) + ")");
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

    /** Decimal ASCII digits with an optional sign; JDK parsers would also take other scripts' digits. */
    private static long integer(String text, long min, long max, String type) throws ConversionException {
        int start = text.charAt(0) == '+' || text.charAt(0) == '-' ? 1 : 0;
        if (start == text.length()) {
            throw new ConversionException("not a whole number");
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new ConversionException("not a whole number");
            }
        }
        int significant = start;
        while (significant < text.length() - 1 && text.charAt(significant) == '0') {
            significant++;
        }
        // More than 19 digits is beyond any long; checking first keeps a megabyte of digits cheap.
        boolean inRange = text.length() - significant <= 19;
        if (inRange) {
            BigInteger value = new BigInteger(text);
            inRange = value.compareTo(BigInteger.valueOf(min)) >= 0 && value.compareTo(BigInteger.valueOf(max)) <= 0;
            if (inRange) {
                return value.longValue();
            }
        }
        throw new ConversionException("out of range for " + type + " (" + min + ".." + max + ")");
    }

    /**
     * Parsing a big number costs time quadratic in its length (a megabyte of digits takes seconds),
     * and no setting needs more than a few thousand digits.
     */
    static final int MAX_NUMBER_CHARS = 4_096;

    private static void requireShortNumber(String text) throws ConversionException {
        if (text.length() > MAX_NUMBER_CHARS) {
            throw new ConversionException("a number of " + text.length() + " characters; the limit is "
                    + MAX_NUMBER_CHARS);
        }
    }

    private static Double toDouble(String text) throws ConversionException {
        requireShortNumber(text);
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new ConversionException("not a number");
        }
        if (Double.isInfinite(value) && !text.endsWith("Infinity")) {
            throw new ConversionException("out of range for double");
        }
        return value;
    }

    /** Float.parseFloat itself: narrowing a parsed double would round twice. */
    private static Float toFloat(String text) throws ConversionException {
        requireShortNumber(text);
        float value;
        try {
            value = Float.parseFloat(text);
        } catch (NumberFormatException e) {
            throw new ConversionException("not a number");
        }
        if (Float.isInfinite(value) && !text.endsWith("Infinity")) {
            throw new ConversionException("out of range for float");
        }
        return value;
    }

    private static void requireAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7f) {
                throw new NumberFormatException();
            }
        }
    }

    private static Duration duration(String text) throws ConversionException {
        Matcher matcher = SHORT_DURATION.matcher(text);
        if (matcher.matches()) {
            try {
                long amount = Long.parseLong(matcher.group(1));
                switch (matcher.group(2)) {
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
            } catch (NumberFormatException | ArithmeticException e) {
                throw new ConversionException("duration out of range");
            }
        }
        try {
            // Duration.parse is case-insensitive itself; upper-casing first would let 'ſ' pass as 'S'.
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            if (e.getCause() instanceof ArithmeticException || e.getCause() instanceof NumberFormatException) {
                throw new ConversionException("duration out of range");
            }
            throw new ConversionException("not a duration (use ISO-8601 like PT5S, or 10ns, 100us, 200ms, 5s, 1m,"
                    + " 2h, 1d)");
        }
    }

    private static Converter<?> enumConverter(Class<?> cls) {
        Object[] constants = cls.getEnumConstants();
        Map<String, Object> byName = new HashMap<>();
        StringBuilder names = new StringBuilder("not one of ");
        for (int i = 0; i < constants.length; i++) {
            String name = ((Enum<?>) constants[i]).name();
            byName.put(name, constants[i]);
            if (i < MAX_LISTED_CONSTANTS) {
                names.append(i == 0 ? "" : ", ").append(name);
            }
        }
        if (constants.length > MAX_LISTED_CONSTANTS) {
            names.append(", … (").append(constants.length).append(" in all)");
        }
        if (constants.length == 0) {
            names.setLength(0);
            names.append(cls.getSimpleName()).append(" has no constants");
        }
        String reason = names.toString();
        return scalar(text -> {
            Object constant = byName.get(text);
            if (constant == null) {
                throw new ConversionException(reason);
            }
            return constant;
        });
    }

    /** MicroProfile's implicit converters, looked up once, in the specified order. */
    private static Converter<?> implicit(Class<?> cls) {
        if (!Modifier.isPublic(cls.getModifiers()) || cls.isPrimitive()) {
            throw unsupported(cls);
        }
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        String type = cls.getSimpleName().isEmpty() ? cls.getName() : cls.getSimpleName();
        String method = type + ".of(String)";
        MethodHandle handle = staticFactory(lookup, cls, "of", String.class);
        if (handle == null) {
            method = type + ".valueOf(String)";
            handle = staticFactory(lookup, cls, "valueOf", String.class);
        }
        if (handle == null) {
            method = type + ".parse(CharSequence)";
            handle = staticFactory(lookup, cls, "parse", CharSequence.class);
        }
        if (handle == null && !Modifier.isAbstract(cls.getModifiers())) {
            method = type + "(String)";
            try {
                handle = lookup.findConstructor(cls, MethodType.methodType(void.class, String.class));
            } catch (ReflectiveOperationException | SecurityException e) {
                handle = null;
            }
        }
        if (handle == null) {
            throw unsupported(cls);
        }
        MethodHandle factory = handle.asType(MethodType.methodType(Object.class, String.class));
        String call = method;
        String returnedNull = method + " returned null";
        return scalar(text -> {
            Object result;
            try {
                result = (Object) factory.invokeExact(text);
            } catch (Throwable e) {
                throw foreignFailure(e, call);
            }
            if (result == null) {
                throw new ConversionException(returnedNull);
            }
            return result;
        });
    }

    private static MethodHandle staticFactory(MethodHandles.Lookup lookup, Class<?> cls, String name,
                                              Class<?> parameter) {
        try {
            Method method = cls.getMethod(name, parameter);
            if (!Modifier.isStatic(method.getModifiers()) || !cls.isAssignableFrom(method.getReturnType())) {
                return null;
            }
            return lookup.unreflect(method);
        } catch (ReflectiveOperationException | SecurityException e) {
            return null;
        }
    }

    /**
     * The agent's words for an application's converter that threw: which call threw what. Its message
     * is not the reason, and it is not kept as the cause, since it may quote the value (or a part of it,
     * trimmed, escaped or decoded: URISyntaxException quotes the whole URI, credentials included).
     */
    private static ConversionException foreignFailure(Throwable thrown, String call) {
        // Out of memory and the like are not about the value; a StackOverflowError is, and is over.
        if (thrown instanceof VirtualMachineError && !(thrown instanceof StackOverflowError)) {
            throw (VirtualMachineError) thrown;
        }
        Throwable cause = thrown;
        while ((cause instanceof InvocationTargetException || cause instanceof UndeclaredThrowableException
                || cause instanceof ExceptionInInitializerError) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return new ConversionException(call + " threw " + typeName(cause));
    }

    /** A throwable's class as a reason names it; an anonymous class by its full name. */
    private static String typeName(Throwable thrown) {
        String simple = thrown.getClass().getSimpleName();
        return simple.isEmpty() ? thrown.getClass().getName() : simple;
    }

    /** Splits on unescaped commas; {@code \,} is a literal comma. An empty element is an error. */
    private static List<String> split(String value) throws ConversionException {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() && value.charAt(i + 1) == ',') {
                current.append(',');
                i++;
            } else if (c == ',') {
                parts.add(element(current, parts.size()));
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(element(current, parts.size()));
        return parts;
    }

    private static String element(CharSequence raw, int index) throws ConversionException {
        String text = raw.toString().trim();
        if (text.isEmpty()) {
            throw new ConversionException("element " + (index + 1) + " of the list is empty");
        }
        return text;
    }

    private static List<Object> elements(String value, Converter<?> element) throws ConversionException {
        if (value == null) {
            throw new ConversionException("no value");
        }
        List<Object> converted = new ArrayList<>();
        if (value.trim().isEmpty()) {
            return converted;
        }
        List<String> parts = split(value);
        for (int i = 0; i < parts.size(); i++) {
            try {
                converted.add(element.convert(parts.get(i)));
            } catch (ConversionException e) {
                throw new ConversionException("element " + (i + 1) + ": " + e.getMessage(), e);
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
