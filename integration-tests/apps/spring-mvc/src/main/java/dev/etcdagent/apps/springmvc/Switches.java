package dev.etcdagent.apps.springmvc;

import dev.etcdagent.Dynamic;

/** A live value, as an application declares it. */
final class Switches {

    @Dynamic("matrix.dynamic") static String dynamic = "declared";

    private Switches() {
    }
}
