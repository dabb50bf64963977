package dev.etcdagent.spring;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlaceholdersTest {

    @Test
    void namesEveryPlaceholderNestedOrInAnExpression() {
        assertThat(Placeholders.of("${promo.enabled}")).containsExactly("promo.enabled");
        assertThat(Placeholders.of("${promo.discount:10}")).containsExactly("promo.discount");
        assertThat(Placeholders.of("${a:${b:${c}}}")).containsExactly("a", "b", "c");
        assertThat(Placeholders.of("#{'${a}' + '${b}'}")).containsExactly("a", "b");
        assertThat(Placeholders.of("${${which}}")).containsExactly("which");
        assertThat(Placeholders.of("prefix-${x}-${y:}-suffix")).containsExactly("x", "y");
    }

    @Test
    void comparesNamesAsSpringBootDoes() {
        assertThat(Placeholders.of("${promo.max-items}")).containsExactly("promo.maxitems");
        assertThat(Placeholders.relaxed("promo.maxItems")).isEqualTo("promo.maxitems");
        assertThat(Placeholders.relaxed("PROMO_MAX_ITEMS")).isEqualTo("promomaxitems");
    }

    @Test
    void aPlainValueOrAnUnclosedPlaceholderNamesNothing() {
        assertThat(Placeholders.of("plain")).isEmpty();
        assertThat(Placeholders.of("${unclosed")).isEmpty();
        assertThat(Placeholders.of("a:b")).isEmpty();
    }
}
