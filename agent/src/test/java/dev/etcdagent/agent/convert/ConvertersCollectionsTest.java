package dev.etcdagent.agent.convert;

import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.etcdagent.agent.convert.ConvertersTest.convert;
import static dev.etcdagent.agent.convert.ConvertersTest.reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Arrays, List, Set and Collection: MicroProfile's comma-separated values. */
class ConvertersCollectionsTest {

    /** The generic types come from fields, as they do in the agent. */
    @SuppressWarnings({"unused", "rawtypes"})
    private static final class Fields {
        List<Integer> ints;
        List<String> strings;
        Set<String> stringSet;
        Set<ConvertersTest.Colour> colours;
        Collection<String> collection;
        List<Duration> durations;
        List rawList;
        Set rawSet;
        List<?> wildcard;
        List<? extends Number> numbers;
        List<? extends BigDecimal> decimals;
        List<? super Integer> superInts;
        List<int[]> listOfArrays;
        List<List<String>> listOfLists;
        Map<String, String> map;
        List<Object> objects;

        static Type of(String name) {
            try {
                return Fields.class.getDeclaredField(name).getGenericType();
            } catch (NoSuchFieldException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void listElementsAreTrimmedAndConverted() throws Exception {
        assertThat(convert(Fields.of("ints"), "1, 2 ,3")).isEqualTo(List.of(1, 2, 3));
        assertThat(convert(Fields.of("strings"), " a , b ")).isEqualTo(List.of("a", "b"));
        assertThat(convert(Fields.of("durations"), "5s, PT1M")).isEqualTo(List.of(Duration.ofSeconds(5),
                Duration.ofMinutes(1)));
        assertThat(convert(Fields.of("collection"), "x")).isEqualTo(List.of("x"));
    }

    @Test
    void escapedCommaIsALiteralComma() throws Exception {
        assertThat(convert(Fields.of("strings"), "a\\,b,c")).isEqualTo(List.of("a,b", "c"));
        assertThat(convert(Fields.of("strings"), "\\,")).isEqualTo(List.of(","));
        assertThat((String[]) convert(String[].class, "x\\,y\\,z")).containsExactly("x,y,z");
        assertThat((char[]) convert(char[].class, "a,\\,,b")).containsExactly('a', ',', 'b');
    }

    @Test
    void backslashNotBeforeACommaStaysAsItIs() throws Exception {
        assertThat(convert(Fields.of("strings"), "C:\\dir,a\\")).isEqualTo(List.of("C:\\dir", "a\\"));
    }

    @Test
    void emptyValueGivesAnEmptyListSetOrArray() throws Exception {
        assertThat(convert(Fields.of("ints"), "")).isEqualTo(List.of());
        assertThat(convert(Fields.of("stringSet"), "  ")).isEqualTo(Set.of());
        assertThat((int[]) convert(int[].class, " ")).isEmpty();
        assertThat((String[]) convert(String[].class, "")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a,,b | element 2 of the list is empty",
        "a,b, | element 3 of the list is empty",
        ",a | element 1 of the list is empty",
        "a, ,b | element 2 of the list is empty",
        "',' | element 1 of the list is empty"})
    void anEmptyElementIsAnErrorNamingItsPosition(String text, String expected) {
        assertThat(reason(Fields.of("strings"), text)).isEqualTo(expected);
        assertThat(reason(Fields.of("stringSet"), text)).isEqualTo(expected);
        assertThat(reason(String[].class, text)).isEqualTo(expected);
        assertThat(reason(int[].class, text)).isEqualTo(expected);
    }

    @Test
    void aBadElementIsAnErrorNamingItsPositionAndReason() {
        assertThat(reason(Fields.of("ints"), "1,x")).isEqualTo("element 2: not a whole number");
        assertThat(reason(int[].class, "80,99999999999")).isEqualTo(
                "element 2: out of range for int (-2147483648..2147483647)");
        assertThat(reason(Fields.of("colours"), "RED,green"))
                .isEqualTo("element 2: not one of RED, GREEN, BLUE");
    }

    @Test
    void primitiveArraysHoldPrimitives() throws Exception {
        assertThat((int[]) convert(int[].class, "8080, 8443")).containsExactly(8080, 8443);
        assertThat((long[]) convert(long[].class, "1,-2")).containsExactly(1L, -2L);
        assertThat((boolean[]) convert(boolean[].class, "yes,off")).containsExactly(true, false);
        assertThat((double[]) convert(double[].class, "0.5")).containsExactly(0.5);
        assertThat((byte[]) convert(byte[].class, "1,2")).containsExactly(1, 2);
    }

    @Test
    void objectArraysHoldTheirElementType() throws Exception {
        Object colours = convert(ConvertersTest.Colour[].class, "RED,BLUE");
        assertThat(colours).isInstanceOf(ConvertersTest.Colour[].class);
        assertThat((ConvertersTest.Colour[]) colours)
                .containsExactly(ConvertersTest.Colour.RED, ConvertersTest.Colour.BLUE);
        assertThat((Integer[]) convert(Integer[].class, "1")).containsExactly(1);
    }

    @Test
    void setsKeepTheFirstOccurrenceOrderAndDropDuplicates() throws Exception {
        Set<?> set = (Set<?>) convert(Fields.of("stringSet"), "b,a,b,c");
        assertThat(List.copyOf(set)).isEqualTo(List.of("b", "a", "c"));
    }

    @Test
    void listsAndSetsAreUnmodifiable() throws Exception {
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) convert(Fields.of("ints"), "1");
        @SuppressWarnings("unchecked")
        Set<Object> set = (Set<Object>) convert(Fields.of("stringSet"), "a");
        assertThatThrownBy(() -> list.add(2)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> set.add("b")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(set::clear).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rawAndWildcardCollectionsHoldStrings() throws Exception {
        assertThat(convert(Fields.of("rawList"), "1, 2")).isEqualTo(List.of("1", "2"));
        assertThat(convert(List.class, "a")).isEqualTo(List.of("a"));
        assertThat(convert(Collection.class, "a")).isEqualTo(List.of("a"));
        assertThat(List.copyOf((Set<?>) convert(Fields.of("rawSet"), "a,a"))).isEqualTo(List.of("a"));
        assertThat(convert(Fields.of("wildcard"), "x,y")).isEqualTo(List.of("x", "y"));
    }

    @Test
    void aBoundedWildcardUsesItsBound() throws Exception {
        assertThat(convert(Fields.of("decimals"), "1.5")).isEqualTo(List.of(new BigDecimal("1.5")));
        assertThat(convert(Fields.of("superInts"), "1")).isEqualTo(List.of(1));
    }

    @Test
    void convertersAreCachedPerClassAndCollectionsAreBuiltAroundThem() throws Exception {
        assertThat(Converters.forType(Integer.class)).isSameAs(Converters.forType(Integer.class));
        assertThat(convert(Fields.of("ints"), "1,2")).isEqualTo(convert(Fields.of("ints"), "1,2"));
    }

    @Test
    void unsupportedElementsAndNestingAreRefusedUpFront() {
        assertThatThrownBy(() -> Converters.forType(Fields.of("numbers")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no converter for type java.util.List<? extends java.lang.Number>");
        assertThatThrownBy(() -> Converters.forType(Fields.of("objects")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no converter for type java.util.List<java.lang.Object>");
        assertThatThrownBy(() -> Converters.forType(Fields.of("listOfArrays")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot themselves be");
        assertThatThrownBy(() -> Converters.forType(Fields.of("listOfLists")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot themselves be");
        assertThatThrownBy(() -> Converters.forType(int[][].class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot themselves be");
        assertThatThrownBy(() -> Converters.forType(Fields.of("map")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("no converter for type");
    }

    @Test
    void aMegabyteListReportsAShortReason() {
        String huge = "1,".repeat(1 << 19) + "x".repeat(1 << 20);
        assertThat(reason(int[].class, huge)).isEqualTo("element 524289: not a whole number");
    }
}
