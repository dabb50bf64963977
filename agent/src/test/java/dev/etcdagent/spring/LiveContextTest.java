package dev.etcdagent.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Spring context whose highest property source stands in for the agent's overlay of system
 * properties: what {@link LiveContext} writes, refuses and reports for changes of it.
 */
class LiveContextTest {

    private final Map<String, Object> etcd = new HashMap<>();
    private final List<String> logged = new ArrayList<>();
    private AnnotationConfigApplicationContext context;
    private LiveContext live;

    @BeforeEach
    void start() {
        context = new AnnotationConfigApplicationContext();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("etcd", etcd));
        context.getEnvironment().getPropertySources().addLast(new MapPropertySource("application.properties",
                Map.of("promo.banner", "from properties", "promo.discount", "10", "fixed.level", "one")));
        context.register(Application.class);
        context.refresh();
        live = new LiveContext(context, (level, message) -> logged.add(level + " " + message));
        assertThat(live.apply(null)).isEmpty();
    }

    @AfterEach
    void stop() {
        context.close();
    }

    @Test
    void aValueFieldFollowsAndADeleteRestoresWhatSpringResolvesNow() {
        Probe probe = context.getBean(Probe.class);
        assertThat(probe.enabled).isFalse();

        List<String[]> outcomes = change("promo.enabled", "true");
        assertThat(probe.enabled).isTrue();
        // The properties bean under "promo" reads it too (binding it anew changes nothing there).
        assertThat(outcomes).filteredOn(outcome -> outcome[1].startsWith("Spring bean")).singleElement()
                .satisfies(outcome -> {
                    assertThat(outcome[0]).isEqualTo("promo.enabled");
                    assertThat(outcome[1]).isEqualTo("Spring bean 'probe' field enabled");
                    assertThat(outcome[2]).isNull();
                });

        change("promo.enabled", null);
        assertThat(probe.enabled).isFalse();
    }

    @Test
    void aValueSetterIsCalledOnceWithTheNewValueAndADeleteBringsBackTheNextSource() {
        Probe probe = context.getBean(Probe.class);
        assertThat(probe.banner).isEqualTo("from properties");
        int calls = probe.bannerCalls;

        change("promo.banner", "Big sale");
        assertThat(probe.banner).isEqualTo("Big sale");
        assertThat(probe.bannerCalls).isEqualTo(calls + 1);

        change("promo.enabled", "true");
        assertThat(probe.bannerCalls).as("a change it does not read").isEqualTo(calls + 1);

        change("promo.banner", null);
        assertThat(probe.banner).isEqualTo("from properties");
    }

    @Test
    void aPropertiesBeanTakesAChangeOfSeveralKeysWhole() {
        PromoSettings settings = context.getBean(PromoSettings.class);
        etcd.put("promo.discount", "25");
        etcd.put("promo.nested.code", "c25");
        etcd.put("promo.window", "30s");
        List<String[]> outcomes = live.apply(Set.of("promo.discount", "promo.nested.code", "promo.window"));

        assertThat(settings.getDiscount()).isEqualTo(25);
        assertThat(settings.getNested().getCode()).isEqualTo("c25");
        assertThat(settings.getWindow()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.loader).as("Spring's callback's state").isNotNull();
        assertThat(outcomes).extracting(outcome -> outcome[2]).containsOnlyNulls();
        assertThat(outcomes).extracting(outcome -> outcome[1])
                .containsOnly("Spring @ConfigurationProperties(\"promo\") bean '" + beanName(PromoSettings.class) + "'");
    }

    @Test
    void aValueThatDoesNotConvertChangesNothingInTheBeanAndIsReportedWithoutTheValue() {
        PromoSettings settings = context.getBean(PromoSettings.class);
        etcd.put("promo.discount", "not-a-number");
        etcd.put("promo.nested.code", "c99");
        List<String[]> outcomes = live.apply(Set.of("promo.discount", "promo.nested.code"));

        assertThat(settings.getDiscount()).isEqualTo(10);
        assertThat(settings.getNested().getCode()).as("the other key of the same change").isNull();
        assertThat(outcomes).hasSize(2).allSatisfy(outcome -> {
            assertThat(outcome[2]).contains("promo.discount").contains("int").doesNotContain("not-a-number");
        });
    }

    @Test
    void aRefusedBeanDoesNotHoldBackAnotherBeanOfTheSameChange() {
        Probe probe = context.getBean(Probe.class);
        etcd.put("promo.discount", "oops");
        etcd.put("promo.enabled", "true");
        List<String[]> outcomes = live.apply(Set.of("promo.discount", "promo.enabled"));

        assertThat(probe.enabled).isTrue();
        assertThat(outcomes).filteredOn(outcome -> outcome[2] == null).extracting(outcome -> outcome[1])
                .containsExactly("Spring bean 'probe' field enabled");
    }

    @Test
    void aConstructorBoundBeanIsNamedOnceAsNotLive() {
        change("fixed.level", "two");
        assertThat(context.getBean(FixedSettings.class).level()).isEqualTo("one");
        assertThat(logged).filteredOn(line -> line.startsWith("INFO")).singleElement().asString()
                .contains(FixedSettings.class.getName()).contains("bound through its constructor");
    }

    @Test
    void springCloudListenersHearOfTheChangedKeysOnceTheBeansHaveThem() {
        PromoSettings settings = context.getBean(PromoSettings.class);
        List<String> heard = new ArrayList<>();
        context.addApplicationListener((ApplicationListener<EnvironmentChangeEvent>) event ->
                heard.add(event.getKeys() + " discount=" + settings.getDiscount()));

        change("promo.discount", "30");
        assertThat(heard).containsExactly("[promo.discount] discount=30");

        change("promo.discount", "not-a-number");
        assertThat(heard).as("a refused change updated no bean").hasSize(1);
    }

    @Test
    void aClosedContextIsForgotten() {
        context.close();
        assertThat(live.apply(Set.of("promo.enabled"))).isNull();
    }

    private List<String[]> change(String name, String value) {
        if (value == null) {
            etcd.remove(name);
        } else {
            etcd.put(name, value);
        }
        return live.apply(Set.of(name));
    }

    private String beanName(Class<?> type) {
        return context.getBeanNamesForType(type)[0];
    }

    @Configuration
    @EnableConfigurationProperties({PromoSettings.class, FixedSettings.class})
    static class Application {
        @Bean
        Probe probe() {
            return new Probe();
        }
    }

    static class Probe {
        @Value("${promo.enabled:false}")
        boolean enabled;
        String banner;
        int bannerCalls;

        @Value("${promo.banner:Welcome}")
        void setBanner(String banner) {
            this.banner = banner;
            bannerCalls++;
        }
    }

    @ConfigurationProperties("promo")
    static class PromoSettings implements BeanClassLoaderAware {
        /** State of Spring's callbacks, not a property: a fresh copy lacks it, and the live bean keeps it. */
        private ClassLoader loader;
        private int discount = 10;
        private Duration window = Duration.ofSeconds(10);
        private final Nested nested = new Nested();

        public int getDiscount() {
            return discount;
        }

        public void setDiscount(int discount) {
            this.discount = discount;
        }

        public Duration getWindow() {
            return window;
        }

        public void setWindow(Duration window) {
            this.window = window;
        }

        public Nested getNested() {
            return nested;
        }

        @Override
        public void setBeanClassLoader(ClassLoader classLoader) {
            loader = classLoader;
        }

        static class Nested {
            private String code;

            public String getCode() {
                return code;
            }

            public void setCode(String code) {
                this.code = code;
            }
        }
    }

    @ConfigurationProperties("fixed")
    record FixedSettings(String level) {
    }
}
