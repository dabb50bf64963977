package dev.etcdagent.it.apps.redeploy;

import java.util.List;

import dev.etcdagent.Discover;
import dev.etcdagent.Dynamic;

/**
 * A web application's configuration class: each deployment loads its own copy, in its own loader.
 * One field of each kind the agent binds: a plain value, a value of the application's own type
 * (whose converter the agent caches), and a discovered service.
 */
public final class DeployedConfig {

    public enum Mode { OFF, ON }

    @Dynamic("redeploy.value") static String value = "declared";
    @Dynamic("redeploy.mode") static Mode mode = Mode.OFF;
    @Discover("/service/redeploy-peers") static List<String> peers = List.of();

    private DeployedConfig() {
    }

    public static String value() {
        return value + " " + mode + " " + peers.size();
    }
}
