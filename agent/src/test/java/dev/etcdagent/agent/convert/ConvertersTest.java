package dev.etcdagent.agent.convert;

import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConvertersTest {

    enum Colour { RED, GREEN, BLUE }

    public static final class WithOf {
        final String text;

        private WithOf(String text) {
            this.text = text;
        }

        public static WithOf of(String text) {
            return new WithOf("of:" + text);
        }
    }

    public static final class WithValueOf {
        final String text;

        private WithValueOf(String text) {
            this.text = text;
        }

        public static WithValueOf valueOf(String text) {
            if (text.equals("bad")) {
                throw new IllegalArgumentException("bad is not allowed");
            }
            return new WithValueOf("valueOf:" + text);
        }
    }

    public static final class WithParse {
        final String text;

        private WithParse(String text) {
            this.text = text;
        }

        public static WithParse parse(CharSequence text) {
            return new WithParse("parse:" + text);
        }
    }

    public static final class WithConstructor {
        final String text;

        public WithConstructor(String text) {
            this.text = "ctor:" + text;
        }
    }

    public static final class WithNothing {
    }

    private static Object convert(Type type, String value) throws ConversionException {
        return Converters.forType(type).convert(value);
    }

    private static String reason(Type type, String value) {
        try {
            Object result = convert(type, value);
            throw new AssertionError("converted to " + result);
        } catch (ConversionException e) {
            return e.getMessage();
        }
    }

    @ParameterizedTest
    @CsvSource({"true,true", "TRUE,true", "yes,true", "On,true", "1,true", "false,false", "No,false", "OFF,false",
        "0,false", "' yes ',true"})
    void booleanAcceptsTheContractsSpellings(String text, boolean expected) throws Exception {
        assertThat(convert(boolean.class, text)).isEqualTo(expected);
        assertThat(convert(Boolean.class, text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"maybe", "2", "y", "truee", "enabled"})
    void booleanRejectsAnythingElse(String text) {
        assertThat(reason(boolean.class, text)).contains("not a boolean");
    }

    @Test
    void emptyAndBlankValuesAreErrorsExceptForStrings() throws Exception {
        assertThat(reason(int.class, "")).isEqualTo("empty value");
        assertThat(reason(Duration.class, "   ")).isEqualTo("empty value");
        assertThat(reason(Colour.class, "\t")).isEqualTo("empty value");
        assertThat(convert(String.class, "")).isEqualTo("");
        assertThat(convert(String.class, "  padded  ")).isEqualTo("  padded  ");
    }

    @Test
    void wholeNumbersAreTrimmedAndRangeChecked() throws Exception {
        assertThat(convert(int.class, " 42 ")).isEqualTo(42);
        assertThat(convert(Integer.class, "-7")).isEqualTo(-7);
        assertThat(convert(long.class, "9000000000")).isEqualTo(9_000_000_000L);
        assertThat(convert(short.class, "32767")).isEqualTo((short) 32767);
        assertThat(convert(byte.class, "-128")).isEqualTo((byte) -128);
        assertThat(reason(int.class, "2147483648")).isEqualTo("out of range for int (-2147483648..2147483647)");
        assertThat(reason(byte.class, "128")).startsWith("out of range for byte");
        assertThat(reason(long.class, "99999999999999999999")).startsWith("out of range for long");
        assertThat(reason(int.class, "1.5")).isEqualTo("not a whole number");
        assertThat(reason(int.class, "ten")).isEqualTo("not a whole number");
    }

    @Test
    void floatingPointRejectsWhatIsNotAFiniteNumber() throws Exception {
        assertThat(convert(double.class, "0.25")).isEqualTo(0.25);
        assertThat(convert(Float.class, "1e3")).isEqualTo(1000f);
        assertThat(reason(double.class, "NaN")).isEqualTo("not a finite number");
        assertThat(reason(double.class, "1e999")).isEqualTo("not a finite number");
        assertThat(reason(float.class, "1e300")).isEqualTo("out of range for float");
        assertThat(reason(double.class, "abc")).isEqualTo("not a number");
    }

    @Test
    void charactersAndBigNumbers() throws Exception {
        assertThat(convert(char.class, " x ")).isEqualTo('x');
        assertThat(reason(char.class, "xy")).isEqualTo("not a single character");
        assertThat(convert(BigDecimal.class, "19.990")).isEqualTo(new BigDecimal("19.990"));
        assertThat(convert(BigInteger.class, "123456789012345678901234567890"))
                .isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(reason(BigDecimal.class, "1,5")).isEqualTo("not a decimal number");
    }

    @Test
    void enumsConvertByExactConstantName() throws Exception {
        assertThat(convert(Colour.class, "GREEN")).isEqualTo(Colour.GREEN);
        assertThat(reason(Colour.class, "green")).isEqualTo("not one of RED, GREEN, BLUE");
    }

    @ParameterizedTest
    @CsvSource({"PT5S,5000", "pt0.5s,500", "P1D,86400000", "200ms,200", "5s,5000", "1m,60000", "2h,7200000",
        "1d,86400000", "1500us,1", "'10 s',10000", "-PT1S,-1000"})
    void durationsAcceptIsoAndShortForms(String text, long millis) throws Exception {
        assertThat(((Duration) convert(Duration.class, text)).toMillis()).isEqualTo(millis);
    }

    @Test
    void durationRejectsUnknownUnits() {
        assertThat(reason(Duration.class, "5 parsecs")).startsWith("not a duration");
        assertThat(reason(Duration.class, "-5s")).startsWith("not a duration");
    }

    @Test
    void listsSetsAndArraysAreCommaSeparatedWithEscapes() throws Exception {
        Type listOfInts = Holder.field("ints");
        Type setOfStrings = Holder.field("strings");
        Type collection = Holder.field("collection");
        assertThat(convert(listOfInts, "1, 2 ,3")).isEqualTo(List.of(1, 2, 3));
        assertThat(List.copyOf((Set<?>) convert(setOfStrings, "b,a,b"))).isEqualTo(List.of("b", "a"));
        assertThat(convert(collection, "a\\,b,c")).isEqualTo(List.of("a,b", "c"));
        assertThat((int[]) convert(int[].class, "8080,8443")).containsExactly(8080, 8443);
        assertThat((String[]) convert(String[].class, "x")).containsExactly("x");
        assertThat(convert(listOfInts, "")).isEqualTo(List.of());
        assertThat((int[]) convert(int[].class, " ")).isEmpty();
    }

    @Test
    void listsRejectEmptyElementsAndNameTheBadOne() {
        Type listOfInts = Holder.field("ints");
        assertThat(reason(listOfInts, "1,,2")).isEqualTo("element 2 of the list is empty");
        assertThat(reason(listOfInts, "1,2,")).isEqualTo("element 3 of the list is empty");
        assertThat(reason(listOfInts, "1,x")).isEqualTo("element 2: not a whole number");
    }

    @Test
    void convertedListsAreImmutable() throws Exception {
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) convert(Holder.field("ints"), "1");
        assertThatThrownBy(() -> list.add(2)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void implicitConvertersFollowMicroProfilesOrder() throws Exception {
        assertThat(((WithOf) convert(WithOf.class, "a")).text).isEqualTo("of:a");
        assertThat(((WithValueOf) convert(WithValueOf.class, "a")).text).isEqualTo("valueOf:a");
        assertThat(((WithParse) convert(WithParse.class, "a")).text).isEqualTo("parse:a");
        assertThat(((WithConstructor) convert(WithConstructor.class, "a")).text).isEqualTo("ctor:a");
        assertThat(convert(LocalDate.class, "2026-11-24")).isEqualTo(LocalDate.of(2026, 11, 24));
    }

    @Test
    void implicitConverterFailuresBecomeReasons() {
        assertThat(reason(WithValueOf.class, "bad")).isEqualTo("IllegalArgumentException: bad is not allowed");
        assertThat(reason(LocalDate.class, "yesterday")).startsWith("DateTimeParseException");
    }

    @Test
    void typesWithoutAConverterAreRefusedUpFront() {
        assertThatThrownBy(() -> Converters.forType(WithNothing.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no converter for type").hasMessageContaining("WithNothing");
    }

    @Test
    void reasonsNeverRepeatAHugeValue() {
        String huge = "x".repeat(1 << 20);
        assertThat(reason(int.class, huge).length()).isLessThan(100);
        assertThat(reason(Colour.class, huge).length()).isLessThan(100);
    }

    @Test
    void abbreviateEscapesControlCharactersAndCutsLongValues() {
        assertThat(Values.abbreviate("a\nb\tc\u0001", 80)).isEqualTo("a\\nb\\tc\\u0001");
        assertThat(Values.abbreviate("x".repeat(100), 10)).isEqualTo("xxxxxxxxxx…(100 chars)");
        assertThat(Values.abbreviate(null, 10)).isEqualTo("null");
    }

    @SuppressWarnings("unused")
    private static final class Holder {
        List<Integer> ints;
        Set<String> strings;
        Collection<String> collection;

        static Type field(String name) {
            try {
                return Holder.class.getDeclaredField(name).getGenericType();
            } catch (NoSuchFieldException e) {
                throw new AssertionError(e);
            }
        }
    }
}
