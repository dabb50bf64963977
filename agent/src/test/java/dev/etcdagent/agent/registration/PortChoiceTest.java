package dev.etcdagent.agent.registration;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which listener is the application's when port= does not say. */
class PortChoiceTest {

    private static PortChoice choice(Map<String, String> properties, Map<String, String> environment,
                                     List<String> jvmArgs, boolean jbossModules) {
        return PortChoice.of(properties::get, environment::get, jvmArgs, jbossModules);
    }

    @Test
    void wildFlyWithItsDefaultsRegistersTheHttpPortNeverManagement() {
        PortChoice wildFly = choice(Map.of(), Map.of(), List.of(), true);
        assertThat(wildFly.accepts(9990)).isFalse();
        assertThat(wildFly.accepts(9993)).isFalse();
        assertThat(wildFly.prefers(8080, 8443, 5_000_000_000L)).as("the named port, whenever it binds").isTrue();
        assertThat(wildFly.prefers(8443, 8080, 0)).isFalse();
        assertThat(wildFly.prefers(80, 8080, 0)).as("a named port is not replaced by a lower one").isFalse();
    }

    @Test
    void wildFlyWithItsPortsGivenFollowsTheProperties() {
        PortChoice wildFly = choice(Map.of("jboss.http.port", "18080", "jboss.management.http.port", "19990"),
                Map.of(), List.of(), true);
        assertThat(wildFly.accepts(19990)).isFalse();
        assertThat(wildFly.accepts(9990)).as("still WildFly's default").isFalse();
        assertThat(wildFly.preferred).isEqualTo(18080);
        assertThat(wildFly.accepts(18443)).isTrue();
    }

    @Test
    void managementDebugAndJmxPortsAreNeverRegistered() {
        PortChoice spring = choice(Map.of("com.sun.management.jmxremote.port", "7091"),
                Map.of("MANAGEMENT_SERVER_PORT", "8081", "SERVER_PORT", "8080"),
                List.of("-Xmx1g", "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=*:5005"), false);
        assertThat(spring.accepts(8081)).isFalse();
        assertThat(spring.accepts(7091)).isFalse();
        assertThat(spring.accepts(5005)).isFalse();
        assertThat(spring.preferred).isEqualTo(8080);
        PortChoice commandLine = choice(Map.of(), Map.of(), List.of("-jar", "app.jar", "--server.port=9090",
                "--management.server.port=9000"), false);
        assertThat(commandLine.preferred).isEqualTo(9090);
        assertThat(commandLine.accepts(9000)).isFalse();
        assertThat(PortChoice.jdwpPorts(List.of("-Xrunjdwp:transport=dt_socket,address=8000,server=y")))
                .containsExactly(8000);
    }

    @Test
    void withNothingNamedTheFirstStaysUnlessALowerOneOpensWithin200Ms() {
        PortChoice plain = choice(Map.of("server.port", "0"), Map.of(), List.of(), false);
        assertThat(plain.preferred).isZero();
        assertThat(plain.accepts(9990)).as("only JBoss Modules' defaults exclude 9990").isTrue();
        assertThat(plain.prefers(8080, 9000, PortChoice.SETTLE_NANOS + 1)).as("opened later: the first stays").isFalse();
        assertThat(plain.prefers(8080, 9000, PortChoice.SETTLE_NANOS / 2)).as("opened together: the lower").isTrue();
        assertThat(plain.prefers(9000, 8080, 0)).isFalse();
    }
}
