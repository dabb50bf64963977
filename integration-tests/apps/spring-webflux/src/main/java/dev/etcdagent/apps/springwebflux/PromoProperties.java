package dev.etcdagent.apps.springwebflux;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Bound by Spring from every property source, System properties included, at start-up. */
@ConfigurationProperties("promo")
public record PromoProperties(String enabled) {
}
