package dev.etcdagent.it.matrix;

import org.junit.jupiter.api.Test;

/** Quarkus 3's fast-jar, with the annotations jar in {@code lib/main} as Maven's default scope packages it. */
class QuarkusIT extends MatrixTestSupport {

    @Test
    void fastJarWithTheAnnotationsJarInsideIsRegisteredAndFollowsEtcd() {
        check(PackagedApps.quarkus());
    }
}
