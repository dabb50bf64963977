package dev.etcdagent.it;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterEach;

/** Everything a test starts (JVMs, etcd servers, watch processes) is closed after it, whatever happens. */
public abstract class StartedResources {

    private final List<AutoCloseable> started = new ArrayList<>();

    /** Registers a resource to be closed after the test, last started first. */
    protected <T extends AutoCloseable> T track(T resource) {
        started.add(resource);
        return resource;
    }

    @AfterEach
    void closeEverythingStarted() throws Exception {
        Collections.reverse(started);
        try {
            for (AutoCloseable resource : started) {
                resource.close();
            }
        } finally {
            started.clear();
        }
    }
}
