package dev.etcdagent.it.matrix;

import dev.etcdagent.it.AgentTestSupport;

/** A test class of the compatibility matrix: one etcd for the class, {@link FrameworkChecks} for each case. */
abstract class MatrixTestSupport extends AgentTestSupport {

    /** Runs every check of {@link FrameworkChecks} on the application and reports its start-up and exit cost. */
    StartupFigures check(MatrixCase app) {
        StartupFigures figures = checks(app).checkAll();
        System.out.println("[matrix] " + figures);
        return figures;
    }

    /** The checks on the application, with a fresh service id and the matrix's TTL. */
    FrameworkChecks checks(MatrixCase app) {
        String service = newService();
        return new FrameworkChecks(app, etcdctl, service,
                agentArgs(service, "ttl=" + FrameworkChecks.TTL_SECONDS), this::start);
    }
}
