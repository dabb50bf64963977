package dev.etcdagent.agent.convert;

import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Scalars: the built-in types, enums, Duration, and what every converter guarantees. */
class ConvertersTest {

    enum Colour { RED, GREEN, BLUE }

    enum Many { C00, C01, C02, C03, C04, C05, C06, C07, C08, C09, C10, C11, C12, C13, C14, C15, C16, C17, C18,
        C19, C20, C21, C22, C23, C24 }

    /** Converted by one test only, so its first lookup happens there. */
    enum Fresh { A }

    static Object convert(Type type, String value) throws ConversionException {
        return Converters.forType(type).convert(value);
    }

    static String reason(Type type, String value) {
        try {
            Object result = convert(type, value);
            throw new AssertionError("expected a ConversionException, converted to " + result);
        } catch (ConversionException e) {
            return e.getMessage();
        }
    }

    @ParameterizedTest
    @CsvSource({"true,true", "TRUE,true", "True,true", "yes,true", "YES,true", "On,true", "1,true",
        "false,false", "FALSE,false", "No,false", "off,false", "OFF,false", "0,false", "' yes ',true", "'\tOn\n',true"})
    void booleanAcceptsTheContractsSpellingsInAnyCase(String text, boolean expected) throws Exception {
        assertThat(convert(boolean.class, text)).isEqualTo(expected);
        assertThat(convert(Boolean.class, text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"maybe", "2", "-1", "y", "n", "t", "f", "truee", "enabled", "01", "o n", "yes!"})
    void booleanRejectsMaybeAndEveryOtherSpelling(String text) {
        assertThat(reason(boolean.class, text)).isEqualTo("not a boolean (use true/false, yes/no, on/off, 1/0)");
        assertThat(reason(Boolean.class, text)).startsWith("not a boolean");
    }

    @ParameterizedTest
    @ValueSource(classes = {boolean.class, Boolean.class, int.class, Integer.class, long.class, Long.class,
        short.class, Short.class, byte.class, Byte.class, double.class, Double.class, float.class, Float.class,
        char.class, Character.class, BigDecimal.class, BigInteger.class, Duration.class, Colour.class})
    void emptyAndBlankValuesAreErrorsForEveryScalarButString(Class<?> type) {
        assertThat(reason(type, "")).isEqualTo("empty value");
        assertThat(reason(type, "  \t\n ")).isEqualTo("empty value");
    }

    @Test
    void numbersLongerThanTheLimitAreRejectedBeforeAnyParsing() throws Exception {
        String megabyte = "9".repeat(1 << 20);
        for (Class<?> type : new Class<?>[] {java.math.BigDecimal.class, java.math.BigInteger.class, double.class,
                float.class}) {
            assertThatThrownBy(() -> Converters.forType(type).convert(megabyte))
                    .isInstanceOf(ConversionException.class)
                    .hasMessage("a number of 1048576 characters; the limit is 4096");
        }
        String longest = "9".repeat(Converters.MAX_NUMBER_CHARS);
        assertThat(Converters.forType(java.math.BigInteger.class).convert(longest)).isEqualTo(new java.math.BigInteger(longest));
    }

    @Test
    void stringIsTakenAsItIsWithoutTrimming() throws Exception {
        assertThat(convert(String.class, "")).isEqualTo("");
        assertThat(convert(String.class, "  padded\n")).isEqualTo("  padded\n");
        assertThat(convert(String.class, "a,b")).isEqualTo("a,b");
    }

    @ParameterizedTest
    @ValueSource(classes = {String.class, int.class, Colour.class, Duration.class, int[].class})
    void nullIsAnErrorNotANullPointerException(Class<?> type) {
        assertThat(reason(type, null)).isEqualTo("no value");
    }

    @Test
    void wholeNumbersAreTrimmedAndTakeAnOptionalSign() throws Exception {
        assertThat(convert(int.class, " 42 ")).isEqualTo(42);
        assertThat(convert(Integer.class, "-7")).isEqualTo(-7);
        assertThat(convert(int.class, "+7")).isEqualTo(7);
        assertThat(convert(int.class, "007")).isEqualTo(7);
        assertThat(convert(long.class, "9000000000")).isEqualTo(9_000_000_000L);
        assertThat(convert(Short.class, "32767")).isEqualTo((short) 32767);
        assertThat(convert(byte.class, "-128")).isEqualTo((byte) -128);
    }

    @ParameterizedTest
    @CsvSource({
        "int,2147483648,out of range for int (-2147483648..2147483647)",
        "int,-2147483649,out of range for int (-2147483648..2147483647)",
        "long,9223372036854775808,out of range for long (-9223372036854775808..9223372036854775807)",
        "long,99999999999999999999,out of range for long (-9223372036854775808..9223372036854775807)",
        "short,32768,out of range for short (-32768..32767)",
        "byte,128,out of range for byte (-128..127)",
        "byte,-129,out of range for byte (-128..127)"})
    void wholeNumbersOutOfRangeNameTheRange(String type, String text, String expected) {
        Class<?> cls = type.equals("int") ? int.class : type.equals("long") ? long.class
                : type.equals("short") ? short.class : byte.class;
        assertThat(reason(cls, text)).isEqualTo(expected);
    }

    @Test
    void wholeNumberExtremesAreInRange() throws Exception {
        assertThat(convert(long.class, "-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(convert(long.class, "0009223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(convert(int.class, "-2147483648")).isEqualTo(Integer.MIN_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "ten", "1e3", "0x10", "1_000", "1 000", "+", "-", "--1", "+-1", "1L",
        "\u0664\u0662"})
    void wholeNumbersAcceptOnlyDecimalAsciiDigits(String text) {
        assertThat(reason(int.class, text)).isEqualTo("not a whole number");
        assertThat(reason(Long.class, text)).isEqualTo("not a whole number");
    }

    @Test
    void aMegabyteOfDigitsIsQuicklyOutOfRange() {
        String huge = "9".repeat(1 << 20);
        long start = System.nanoTime();
        assertThat(reason(long.class, huge)).startsWith("out of range for long");
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void floatingPointAcceptsWhatTheJdkParses() throws Exception {
        assertThat(convert(double.class, " 0.25 ")).isEqualTo(0.25);
        assertThat(convert(Double.class, "-1.5e-3")).isEqualTo(-0.0015);
        assertThat(convert(double.class, "0x1p3")).isEqualTo(8.0);
        assertThat(convert(Float.class, "1e3")).isEqualTo(1000f);
        assertThat(convert(double.class, "NaN")).isEqualTo(Double.NaN);
        assertThat(convert(double.class, "-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(convert(float.class, "Infinity")).isEqualTo(Float.POSITIVE_INFINITY);
    }

    @Test
    void floatIsParsedAsAFloatNotRoundedTwiceThroughDouble() throws Exception {
        // Just below the midpoint of two floats: as a double it is the midpoint, which then rounds up.
        String text = "1.00000017881393432617187499";
        assertThat(convert(float.class, text)).isEqualTo(1.0000001f).isNotEqualTo((float) Double.parseDouble(text));
    }

    @Test
    void finiteInputThatOverflowsIsOutOfRange() {
        assertThat(reason(double.class, "1e999")).isEqualTo("out of range for double");
        assertThat(reason(double.class, "-1e999")).isEqualTo("out of range for double");
        assertThat(reason(float.class, "1e39")).isEqualTo("out of range for float");
        assertThat(reason(Float.class, "-3.5e38")).isEqualTo("out of range for float");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "1,5", "1.2.3", "infinity", "nan", "0.5%"})
    void floatingPointRejectsWhatTheJdkDoesNotParse(String text) {
        assertThat(reason(double.class, text)).isEqualTo("not a number");
        assertThat(reason(float.class, text)).isEqualTo("not a number");
    }

    @Test
    void characterIsExactlyOneCharacterAfterTrimming() throws Exception {
        assertThat(convert(char.class, " x ")).isEqualTo('x');
        assertThat(convert(Character.class, ",")).isEqualTo(',');
        assertThat(reason(char.class, "xy")).isEqualTo("not a single character");
        assertThat(reason(char.class, "\uD83D\uDE00")).isEqualTo("not a single character");
    }

    @Test
    void bigNumbersHaveNoRangeButNeedTheirSyntax() throws Exception {
        assertThat(convert(BigDecimal.class, " 19.990 ")).isEqualTo(new BigDecimal("19.990"));
        assertThat(convert(BigDecimal.class, "1e-400")).isEqualTo(new BigDecimal("1e-400"));
        assertThat(convert(BigInteger.class, "-123456789012345678901234567890"))
                .isEqualTo(new BigInteger("-123456789012345678901234567890"));
        assertThat(reason(BigDecimal.class, "1,5")).isEqualTo("not a decimal number");
        assertThat(reason(BigDecimal.class, "\u0661")).isEqualTo("not a decimal number");
        assertThat(reason(BigInteger.class, "1.0")).isEqualTo("not a whole number");
        assertThat(reason(BigInteger.class, "\u0661")).isEqualTo("not a whole number");
    }

    @Test
    void enumsConvertByExactConstantName() throws Exception {
        assertThat(convert(Colour.class, "GREEN")).isEqualTo(Colour.GREEN);
        assertThat(convert(Colour.class, " BLUE ")).isEqualTo(Colour.BLUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"red", "Red", "PURPLE", "0"})
    void enumsInTheWrongCaseOrUnknownListTheConstants(String text) {
        assertThat(reason(Colour.class, text)).isEqualTo("not one of RED, GREEN, BLUE");
    }

    @Test
    void aLongEnumListsOnlyItsFirstConstants() {
        assertThat(reason(Many.class, "X")).startsWith("not one of C00, C01,").contains("C19")
                .doesNotContain("C20").endsWith("… (25 in all)");
    }

    @ParameterizedTest
    @CsvSource({"PT5S,5000", "pt0.5s,500", "PT1M,60000", "P1D,86400000", "PT1H30M,5400000", "-PT1S,-1000",
        "PT-2S,-2000", "10ns,0", "1500us,1", "200ms,200", "5s,5000", "1m,60000", "2h,7200000", "1d,86400000",
        "'10 s',10000", "'  3 ms ',3", "'7\tm',420000"})
    void durationsAcceptIsoAndTheShortForms(String text, long millis) throws Exception {
        assertThat(((Duration) convert(Duration.class, text)).toMillis()).isEqualTo(millis);
    }

    @Test
    void durationShortFormsKeepNanosecondPrecision() throws Exception {
        assertThat(convert(Duration.class, "10ns")).isEqualTo(Duration.ofNanos(10));
        assertThat(convert(Duration.class, "100us")).isEqualTo(Duration.ofNanos(100_000));
        assertThat(convert(Duration.class, "0s")).isEqualTo(Duration.ZERO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5 parsecs", "-5s", "+5s", "1.5s", "5", "s", "5S", "1M", "2H", "5 s s", "P1M",
        "PT5\u017f", "5sec", "1w"})
    void durationRejectsNegativeShortFormsUnknownUnitsAndUpperCaseUnits(String text) {
        assertThat(reason(Duration.class, text)).startsWith("not a duration (use ISO-8601 like PT5S");
    }

    @Test
    void durationOverflowIsOutOfRange() {
        assertThat(reason(Duration.class, "99999999999999999999d")).isEqualTo("duration out of range");
        assertThat(reason(Duration.class, "9223372036854775807d")).isEqualTo("duration out of range");
        assertThat(reason(Duration.class, "9223372036854775807us")).isEqualTo("duration out of range");
        assertThat(reason(Duration.class, "PT99999999999999999999S")).isEqualTo("duration out of range");
    }

    @Test
    void reasonsNeverRepeatAHugeValue() {
        String huge = "x".repeat(1 << 20);
        for (Class<?> type : List.of(int.class, double.class, boolean.class, char.class, BigDecimal.class,
                BigInteger.class, Duration.class, Colour.class)) {
            assertThat(reason(type, huge)).hasSizeLessThan(200);
        }
    }

    @Test
    void primitivesAndWrappersConvertToTheBoxedValue() throws Exception {
        assertThat(convert(long.class, "1")).isInstanceOf(Long.class);
        assertThat(convert(short.class, "1")).isInstanceOf(Short.class);
        assertThat(convert(byte.class, "1")).isInstanceOf(Byte.class);
        assertThat(convert(float.class, "1")).isInstanceOf(Float.class);
        assertThat(convert(char.class, "1")).isInstanceOf(Character.class);
    }

    @Test
    void convertersAreCachedPerType() {
        assertThat(Converters.forType(Duration.class)).isSameAs(Converters.forType(Duration.class));
        assertThat(Converters.forType(int[].class)).isSameAs(Converters.forType(int[].class));
    }

    @Test
    void concurrentFirstLookupsAllGetTheCachedConverter() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Converter<?>>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return Converters.forType(Fresh.class);
                }));
            }
            start.countDown();
            Converter<?> cached = Converters.forType(Fresh.class);
            for (Future<Converter<?>> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS)).isSameAs(cached);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unsupportedTypesAreRefusedUpFrontWithTheFix() {
        for (Type type : new Type[] {Object.class, Number.class, CharSequence.class, void.class, Optional.class}) {
            assertThatThrownBy(() -> Converters.forType(type))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("no converter for type " + type.getTypeName() + ": use a String,")
                    .hasMessageContaining("of(String)").hasMessageContaining("valueOf(String)")
                    .hasMessageContaining("parse(CharSequence)").hasMessageContaining("String constructor");
        }
        assertThatThrownBy(() -> Converters.forType(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
