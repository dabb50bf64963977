package dev.etcdagent.apps.springlive;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** A JavaBean bound through its setters, with a nested JavaBean: the kind of bean that can follow etcd live. */
@ConfigurationProperties("promo")
public class PromoSettings {

    private int discount = 10;
    private List<String> items;
    private Duration window = Duration.ofSeconds(10);
    private Nested nested = new Nested();

    public int getDiscount() {
        return discount;
    }

    public void setDiscount(int discount) {
        this.discount = discount;
    }

    public List<String> getItems() {
        return items;
    }

    public void setItems(List<String> items) {
        this.items = items;
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

    public void setNested(Nested nested) {
        this.nested = nested;
    }

    /** {@code promo.nested.*}. */
    public static class Nested {

        private String code;
        private String region;

        public String getCode() {
            return code;
        }

        public void setCode(String code) {
            this.code = code;
        }

        public String getRegion() {
            return region;
        }

        public void setRegion(String region) {
            this.region = region;
        }
    }
}
