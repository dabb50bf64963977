package dev.etcdagent.agent.convert;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ValuesTest {

    @Test
    void shortPrintableValuesAreUnchanged() {
        assertThat(Values.abbreviate("hello, world", 80)).isEqualTo("hello, world");
        assertThat(Values.abbreviate("", 80)).isEqualTo("");
        assertThat(Values.abbreviate("caf\u00e9 \u65e5\u672c", 80)).isEqualTo("caf\u00e9 \u65e5\u672c");
    }

    @Test
    void newlinesAndTabsAreEscapedSoTheLogStaysOneLine() {
        assertThat(Values.abbreviate("a\nb\tc", 80)).isEqualTo("a\\nb\\tc");
    }

    @Test
    void otherControlCharactersAreUnicodeEscapes() {
        assertThat(Values.abbreviate("a\rb\u0000c\u0001\u001b[31m\u007f\u0085", 80))
                .isEqualTo("a\\u000db\\u0000c\\u0001\\u001b[31m\\u007f\\u0085");
    }

    @Test
    void lineSeparatorsAndBidiOverridesAreEscapedAgainstLogSpoofing() {
        assertThat(Values.abbreviate("a\u2028b\u202ec\u2066", 80)).isEqualTo("a\\u2028b\\u202ec\\u2066");
    }

    @Test
    void surrogatePairsStayButLoneSurrogatesAreEscaped() {
        assertThat(Values.abbreviate("\uD83D\uDE00", 80)).isEqualTo("\uD83D\uDE00");
        assertThat(Values.abbreviate("a\uD83Db", 80)).isEqualTo("a\\ud83db");
    }

    @Test
    void backslashesAreNotEscaped() {
        assertThat(Values.abbreviate("a\\,b", 80)).isEqualTo("a\\,b");
    }

    @Test
    void longValuesAreCutAndSayTheirFullLength() {
        assertThat(Values.abbreviate("x".repeat(100), 10)).isEqualTo("xxxxxxxxxx…(100 chars)");
        assertThat(Values.abbreviate("x".repeat(10), 10)).isEqualTo("xxxxxxxxxx");
        assertThat(Values.abbreviate("x".repeat(11), 10)).isEqualTo("xxxxxxxxxx…(11 chars)");
    }

    @ParameterizedTest
    @CsvSource({"4,abc…(7 chars)", "5,abc\\n…(7 chars)", "6,abc\\nd…(7 chars)", "7,abc\\nde…(7 chars)",
        "8,abc\\ndef"})
    void escapesCountTowardsTheLimitAndAreNeverSplit(int max, String expected) {
        assertThat(Values.abbreviate("abc\ndef", max)).isEqualTo(expected);
    }

    @Test
    void aSurrogatePairIsNeverSplit() {
        assertThat(Values.abbreviate("a\uD83D\uDE00", 2)).isEqualTo("a…(3 chars)");
    }

    @Test
    void aMegabyteBecomesAShortLine() {
        String abbreviated = Values.abbreviate("\n".repeat(1 << 20), 80);
        assertThat(abbreviated).hasSizeLessThan(100).endsWith("…(1048576 chars)").doesNotContain("\n");
    }

    @Test
    void nullAndNonPositiveLimitsAreSafe() {
        assertThat(Values.abbreviate(null, 10)).isEqualTo("null");
        assertThat(Values.abbreviate("abc", 0)).isEqualTo("…(3 chars)");
        assertThat(Values.abbreviate("abc", -1)).isEqualTo("…(3 chars)");
        assertThat(Values.abbreviate("", 0)).isEqualTo("");
    }

    @Test
    void aLengthIsWhatARefusalShowsInsteadOfTheValue() {
        assertThat(Values.length("x")).isEqualTo("1 char");
        assertThat(Values.length("secret\n")).isEqualTo("7 chars");
        assertThat(Values.length("")).isEqualTo("0 chars");
    }
}
