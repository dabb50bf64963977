package dev.etcdagent.agent.convert;

import java.io.File;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import static dev.etcdagent.agent.convert.ConvertersTest.convert;
import static dev.etcdagent.agent.convert.ConvertersTest.reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MicroProfile's implicit converters: of(String), valueOf(String), parse(CharSequence), a String constructor. */
class ConvertersImplicitTest {

    public static final class PackagePrivateConstructor {
        PackagePrivateConstructor(String text) {
        }
    }

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
            if (text.equals("boom")) {
                throw new IllegalStateException("no boom here");
            }
            this.text = "ctor:" + text;
        }
    }

    public static final class WithNothing {
        public WithNothing() {
        }

        public static WithNothing create(String text) {
            return new WithNothing();
        }
    }

    public static final class WithAll {
        String by = "ctor";

        public WithAll(String text) {
        }

        private WithAll by(String factory) {
            this.by = factory;
            return this;
        }

        public static WithAll of(String text) {
            return new WithAll(text).by("of");
        }

        public static WithAll valueOf(String text) {
            return new WithAll(text).by("valueOf");
        }

        public static WithAll parse(CharSequence text) {
            return new WithAll(text.toString()).by("parse");
        }
    }

    public static final class ValueOfAndParse {
        final String by;

        private ValueOfAndParse(String by) {
            this.by = by;
        }

        public static ValueOfAndParse valueOf(String text) {
            return new ValueOfAndParse("valueOf");
        }

        public static ValueOfAndParse parse(CharSequence text) {
            return new ValueOfAndParse("parse");
        }
    }

    /** Methods with the right names but not MicroProfile's shape do not count. */
    public static final class WrongShapes {
        public final String by;

        public WrongShapes(String text) {
            this.by = "ctor";
        }

        public WrongShapes of(String text) {
            return null;
        }

        public static String valueOf(String text) {
            return text;
        }

        public static WrongShapes parse(String text) {
            return null;
        }
    }

    static final class NotPublic {
        public static NotPublic of(String text) {
            return new NotPublic();
        }
    }

    public static final class PrivateFactory {
        @SuppressWarnings("unused") // the point of the fixture: a factory the converter must not find, being private
        private static PrivateFactory of(String text) {
            return new PrivateFactory();
        }
    }

    public static final class ReturnsNull {
        public static ReturnsNull valueOf(String text) {
            return null;
        }
    }

    public static final class ThrowsWithoutMessage {
        public static ThrowsWithoutMessage of(String text) {
            throw new UnsupportedOperationException();
        }
    }

    public static final class EchoesTheValue {
        public static EchoesTheValue of(String text) {
            throw new IllegalArgumentException("cannot use '" + text + "'");
        }
    }

    public static final class ThrowsAnError {
        public static ThrowsAnError of(String text) {
            throw new AssertionError("broken");
        }
    }

    public static final class Recurses {
        @SuppressWarnings("InfiniteRecursion") // on purpose: the test needs a factory that overflows the stack
        public static Recurses of(String text) {
            return of(text);
        }
    }

    public interface Shape {
        static Shape of(String text) {
            return new Shape() {
                @Override
                public String toString() {
                    return "shape:" + text;
                }
            };
        }
    }

    @Test
    void ofStringIsUsed() throws Exception {
        assertThat(((WithOf) convert(WithOf.class, "a")).text).isEqualTo("of:a");
    }

    @Test
    void valueOfStringIsUsed() throws Exception {
        assertThat(((WithValueOf) convert(WithValueOf.class, "a")).text).isEqualTo("valueOf:a");
    }

    @Test
    void parseCharSequenceIsUsed() throws Exception {
        assertThat(((WithParse) convert(WithParse.class, "a")).text).isEqualTo("parse:a");
    }

    @Test
    void stringConstructorIsUsed() throws Exception {
        assertThat(((WithConstructor) convert(WithConstructor.class, "a")).text).isEqualTo("ctor:a");
    }

    @Test
    void ofWinsOverValueOfOverParseOverTheConstructor() throws Exception {
        assertThat(((WithAll) convert(WithAll.class, "a")).by).isEqualTo("of");
        assertThat(((ValueOfAndParse) convert(ValueOfAndParse.class, "a")).by).isEqualTo("valueOf");
    }

    @Test
    void methodsOfTheWrongShapeAreSkipped() throws Exception {
        assertThat(((WrongShapes) convert(WrongShapes.class, "a")).by).isEqualTo("ctor");
    }

    @Test
    void aStaticFactoryOnAnInterfaceIsUsed() throws Exception {
        assertThat(convert(Shape.class, "round")).hasToString("shape:round");
    }

    @Test
    void implicitConvertersGetTheTrimmedValue() throws Exception {
        assertThat(((WithOf) convert(WithOf.class, "  a \n")).text).isEqualTo("of:a");
        assertThat(reason(WithOf.class, "   ")).isEqualTo("empty value");
    }

    @Test
    void jdkTypesConvertThroughTheirOwnFactories() throws Exception {
        assertThat(convert(LocalDate.class, "2026-11-24")).isEqualTo(LocalDate.of(2026, 11, 24));
        assertThat(convert(URI.class, "http://h:1/p")).isEqualTo(URI.create("http://h:1/p"));
        assertThat(convert(File.class, "/tmp/x")).isEqualTo(new File("/tmp/x"));
    }

    @Test
    void aThrowingFactoryIsNamedWithWhatItThrewNeverWithItsMessage() {
        assertThat(reason(WithValueOf.class, "bad")).isEqualTo("WithValueOf.valueOf(String) threw IllegalArgumentException");
    }

    @Test
    void aThrowingConstructorIsNamedByItsType() {
        assertThat(reason(WithConstructor.class, "boom")).isEqualTo("WithConstructor(String) threw IllegalStateException");
    }

    @Test
    void anExceptionWithoutMessageIsNamedByItsClass() {
        assertThat(reason(ThrowsWithoutMessage.class, "a"))
                .isEqualTo("ThrowsWithoutMessage.of(String) threw UnsupportedOperationException");
    }

    @Test
    void theConvertersExceptionIsNotKeptForAnyoneToPrintLater() {
        assertThatThrownBy(() -> convert(WithValueOf.class, "bad"))
                .isInstanceOf(ConversionException.class).hasNoCause();
    }

    @Test
    void anErrorThrownByTheConverterIsAReasonToo() {
        assertThat(reason(ThrowsAnError.class, "a")).isEqualTo("ThrowsAnError.of(String) threw AssertionError");
        assertThat(reason(Recurses.class, "a")).isEqualTo("Recurses.of(String) threw StackOverflowError");
    }

    @Test
    void noCopyOfTheValueReachesTheReasonTrimmedEscapedOrCut() {
        List<String> values = List.of("secret-token\n", "\tsecret\ttoken ", "secret-" + "x".repeat(200),
                "secret-\u202eevil", "secret-token\r\n");
        for (String value : values) {
            assertThat(reason(EchoesTheValue.class, value)).as(value)
                    .isEqualTo("EchoesTheValue.of(String) threw IllegalArgumentException");
        }
    }

    @Test
    void aUriHoldingCredentialsThatDoesNotParseIsNeverQuoted() {
        for (String value : List.of("https://alice:s3cret-pw@db.example.com/a b", "http://bob:hunter2@[bad/\n",
                "ldap://carol:pa55word@host:99999999999/x y\t")) {
            assertThat(reason(URI.class, value)).as(value).isEqualTo("URI(String) threw URISyntaxException");
        }
    }

    @Test
    void aJdkParseFailureNamesTheParser() {
        assertThat(reason(LocalDate.class, "yesterday"))
                .isEqualTo("LocalDate.parse(CharSequence) threw DateTimeParseException");
    }

    @Test
    void aNullResultIsAnError() {
        assertThat(reason(ReturnsNull.class, "a")).isEqualTo("ReturnsNull.valueOf(String) returned null");
    }

    @Test
    void implicitConvertersWorkAsListElements() throws Exception {
        Type type = Holder.class.getDeclaredField("dates").getGenericType();
        assertThat(convert(type, "2026-01-01, 2026-01-02"))
                .isEqualTo(List.of(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 1, 2)));
    }

    @Test
    void aTypeWithNoneOfTheFourIsRefusedUpFront() {
        for (Class<?> type : List.of(WithNothing.class, NotPublic.class, PrivateFactory.class,
                PackagePrivateConstructor.class)) {
            assertThatThrownBy(() -> Converters.forType(type))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("no converter for type " + type.getTypeName() + ": use a String");
        }
    }

    @Test
    void aListOfAnUnsupportedTypeNamesTheList() throws Exception {
        Type type = Holder.class.getDeclaredField("nothings").getGenericType();
        assertThatThrownBy(() -> Converters.forType(type))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no converter for type java.util.List<" + WithNothing.class.getTypeName() + ">");
    }

    @Test
    void bigDecimalStaysBuiltInThoughItHasAStringConstructor() throws Exception {
        assertThat(reason(BigDecimal.class, "1 000")).isEqualTo("not a decimal number");
    }

    @SuppressWarnings("unused")
    private static final class Holder {
        List<LocalDate> dates;
        List<WithNothing> nothings;
    }
}
