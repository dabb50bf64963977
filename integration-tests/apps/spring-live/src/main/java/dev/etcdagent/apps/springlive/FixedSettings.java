package dev.etcdagent.apps.springlive;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Bound once through its constructor: it cannot follow etcd, and the agent says so at start. */
@ConfigurationProperties("fixed")
public record FixedSettings(String level) {
}
