package dev.etcdagent.hooks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The overlay's Map view answers what getProperty answers (Spring's Environment reads the Map view). */
class PropertyOverlayTest {

    private static PropertyOverlay overlayOf(String... namesAndValues) {
        Properties own = new Properties();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            own.setProperty(namesAndValues[i], namesAndValues[i + 1]);
        }
        return new PropertyOverlay(own);
    }

    @Test
    void getAndContainsKeySeeAnOverrideLikeGetProperty() {
        PropertyOverlay overlay = overlayOf("own.prop", "mine");
        overlay.override("own.prop", "etcd");
        overlay.override("feature.x", "on");

        assertThat(overlay.get("own.prop")).isEqualTo("etcd").isEqualTo(overlay.getProperty("own.prop"));
        assertThat(overlay.get("feature.x")).isEqualTo("on");
        assertThat(overlay.containsKey("feature.x")).isTrue();
        assertThat(overlay.getOrDefault("feature.x", "none")).isEqualTo("on");
        assertThat(overlay.getOrDefault("feature.y", "none")).isEqualTo("none");
        assertThat(overlay.containsKey("feature.y")).isFalse();
        assertThat(overlay.get(42)).isNull();
    }

    @Test
    void deletingAnOverrideRestoresTheOwnValueInEveryView() {
        PropertyOverlay overlay = overlayOf("own.prop", "mine");
        overlay.override("own.prop", "etcd");
        overlay.override("feature.x", "on");

        overlay.override("own.prop", null);
        overlay.override("feature.x", null);

        assertThat(overlay.get("own.prop")).isEqualTo("mine");
        assertThat(overlay.containsKey("feature.x")).isFalse();
        assertThat(overlay.stringPropertyNames()).containsExactly("own.prop");
        assertThat(overlay.size()).isEqualTo(1);
    }

    @Test
    void keyAndEntryIterationIncludeOverridesOnceEach() {
        PropertyOverlay overlay = overlayOf("own.prop", "mine", "other", "o");
        overlay.override("own.prop", "etcd");
        overlay.override("feature.x", "on");

        Map<Object, Object> entries = new HashMap<>();
        overlay.entrySet().forEach(entry -> entries.put(entry.getKey(), entry.getValue()));
        assertThat(entries).containsOnly(Map.entry("own.prop", "etcd"), Map.entry("other", "o"),
                Map.entry("feature.x", "on"));
        assertThat(overlay.keySet()).containsExactlyInAnyOrder("own.prop", "other", "feature.x");
        assertThat(Collections.list(overlay.keys())).containsExactlyInAnyOrder("own.prop", "other", "feature.x");
        assertThat(new ArrayList<Object>(Collections.list(overlay.propertyNames()))).containsExactlyInAnyOrder("own.prop", "other",
                "feature.x");
        assertThat(overlay.stringPropertyNames()).containsExactlyInAnyOrder("own.prop", "other", "feature.x");
        assertThat(overlay.values()).containsExactlyInAnyOrder("etcd", "o", "on");
        assertThat(Collections.list(overlay.elements())).containsExactlyInAnyOrder("etcd", "o", "on");
        assertThat(overlay.size()).isEqualTo(3);
        assertThat(overlay.isEmpty()).isFalse();
        Map<Object, Object> visited = new HashMap<>();
        overlay.forEach(visited::put);
        assertThat(visited).isEqualTo(entries);
    }

    @Test
    void viewsWithOverridesAreReadOnlySnapshots() {
        PropertyOverlay overlay = overlayOf("own.prop", "mine");
        overlay.override("feature.x", "on");

        assertThatThrownBy(() -> overlay.keySet().remove("own.prop")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> overlay.entrySet().iterator().next().setValue("x"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(overlay.getProperty("own.prop")).isEqualTo("mine");
    }

    @Test
    void withoutOverridesTheViewsAreTheOwnLiveViews() {
        PropertyOverlay overlay = overlayOf("own.prop", "mine", "other", "o");

        overlay.keySet().remove("other");

        assertThat(overlay.containsKey("other")).isFalse();
        assertThat(overlay.size()).isEqualTo(1);
        assertThat(overlay.stringPropertyNames()).containsExactly("own.prop");
    }

    @Test
    void theApplicationsOwnWritesStayUnderTheOverride() {
        PropertyOverlay overlay = overlayOf();
        overlay.override("feature.x", "on");

        overlay.setProperty("feature.x", "app");

        assertThat(overlay.get("feature.x")).isEqualTo("on");
        overlay.override("feature.x", null);
        assertThat(overlay.get("feature.x")).isEqualTo("app");
        assertThat(overlay.size()).isEqualTo(1);
    }

    @Test
    void theMergedViewIsBuiltOncePerChangeAndFollowsEveryKindOfChange() {
        PropertyOverlay overlay = overlayOf("own.prop", "mine");
        overlay.override("feature.x", "on");
        assertThat(overlay.keySet()).as("asked twice, nothing changed between").isSameAs(overlay.keySet());

        overlay.setProperty("own.added", "a");
        assertThat(overlay.keySet()).contains("own.added", "feature.x");
        overlay.remove("own.added");
        overlay.putIfAbsent("own.other", "b");
        overlay.merge("own.other", "c", (was, now) -> now);
        overlay.computeIfAbsent("own.computed", key -> "d");
        assertThat(overlay.entrySet()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("own.prop", "own.other", "own.computed", "feature.x");
        assertThat(overlay.get("own.other")).isEqualTo("c");
        overlay.override("feature.x", "off");
        assertThat(overlay.values()).contains("off").doesNotContain("on");
        overlay.putAll(Map.of("own.bulk", "e"));
        overlay.replace("own.bulk", "f");
        assertThat(overlay.keySet()).contains("own.bulk");
        assertThat(overlay.get("own.bulk")).isEqualTo("f");
        overlay.clear();
        assertThat(overlay.keySet()).containsExactly("feature.x");
    }

    @Test
    void aPinnedThreadSeesItsViewAndEveryOtherThreadTheLiveOverrides() throws Exception {
        PropertyOverlay overlay = overlayOf("own.prop", "mine");
        overlay.override("promo.discount", "44");
        Map<String, String> revision44 = overlay.overridesNow();
        overlay.override("promo.discount", "45");
        overlay.override("promo.new", "x");

        overlay.pin(revision44);
        try {
            assertThat(overlay.getProperty("promo.discount")).isEqualTo("44");
            assertThat(overlay.get("promo.discount")).isEqualTo("44");
            assertThat(overlay.containsKey("promo.new")).isFalse();
            assertThat(overlay.keySet()).containsExactlyInAnyOrder("own.prop", "promo.discount");
            String[] other = new String[1];
            Thread reader = new Thread(() -> other[0] = overlay.getProperty("promo.discount"));
            reader.start();
            reader.join();
            assertThat(other[0]).as("another thread").isEqualTo("45");
        } finally {
            overlay.unpin();
        }
        assertThat(overlay.getProperty("promo.discount")).isEqualTo("45");
        assertThat(overlay.keySet()).contains("promo.new");
    }
}
