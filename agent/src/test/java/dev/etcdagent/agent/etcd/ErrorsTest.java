package dev.etcdagent.agent.etcd;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** One vocabulary for a call's failure: the agent acts on it, the tool prints it. */
class ErrorsTest {

    private static Throwable status(Status status) {
        return new CompletionException(status.asRuntimeException());
    }

    @Test
    void noAnswerInTimeIsItsOwnKindWhereverItIsWrapped() {
        assertThat(Errors.kind(new ExecutionException(new TimeoutException("no answer")))).isEqualTo(Errors.Kind.NO_ANSWER);
        assertThat(Errors.kind(new CompletionException(new TimeoutException()))).isEqualTo(Errors.Kind.NO_ANSWER);
    }

    @Test
    void aRefusedConnectionNeverReachedEtcdWhileALostOneMayHave() {
        Throwable refused = status(Status.UNAVAILABLE.withDescription("io exception")
                .withCause(new ConnectException("Connection refused: /127.0.0.1:1")));
        assertThat(Errors.kind(refused)).isEqualTo(Errors.Kind.UNREACHABLE);
        assertThat(Errors.kind(status(Status.UNAVAILABLE.withDescription("connection reset"))))
                .isEqualTo(Errors.Kind.UNAVAILABLE);
        assertThat(Errors.kind(status(Status.CANCELLED))).isEqualTo(Errors.Kind.INTERRUPTED);
        assertThat(Errors.isConnectivity(refused)).isTrue();
    }

    @Test
    void refusalsAreSortedByWhatToDoAboutThem() {
        assertThat(Errors.kind(status(Status.UNAUTHENTICATED.withDescription("etcdserver: invalid auth token"))))
                .isEqualTo(Errors.Kind.AUTHENTICATION);
        assertThat(Errors.kind(status(Status.PERMISSION_DENIED.withDescription("etcdserver: permission denied"))))
                .isEqualTo(Errors.Kind.PERMISSION_DENIED);
        assertThat(Errors.kind(status(Status.RESOURCE_EXHAUSTED.withDescription("exceeds maximum size"))))
                .isEqualTo(Errors.Kind.TOO_LARGE);
        assertThat(Errors.kind(status(Status.OUT_OF_RANGE.withDescription(
                "etcdserver: mvcc: required revision has been compacted")))).isEqualTo(Errors.Kind.COMPACTED);
        assertThat(Errors.kind(status(Status.NOT_FOUND.withDescription("etcdserver: requested lease not found"))))
                .isEqualTo(Errors.Kind.LEASE_NOT_FOUND);
        assertThat(Errors.kind(status(Status.INVALID_ARGUMENT.withDescription("etcdserver: key is not provided"))))
                .isEqualTo(Errors.Kind.REFUSED);
        assertThat(Errors.isConnectivity(status(Status.INVALID_ARGUMENT))).isFalse();
    }

    @Test
    void aLeaderlessMemberIsLostConnectivityNotARefusal() {
        Throwable noLeader = status(Status.UNAVAILABLE.withDescription("etcdserver: no leader"));
        assertThat(Errors.isConnectivity(noLeader)).isTrue();
        assertThat(Errors.kind(noLeader)).isEqualTo(Errors.Kind.UNAVAILABLE);
    }

    @Test
    void describeIsOneLineWithTheCodeAndTheDetail() {
        assertThat(Errors.describe(status(Status.UNAVAILABLE.withDescription("io exception\nsecond line"))))
                .isEqualTo("UNAVAILABLE (io exception)");
        assertThat(Errors.describe(new ExecutionException(new IllegalStateException("not connected to etcd"))))
                .isEqualTo("IllegalStateException not connected to etcd");
    }

    @Test
    void aTlsFailureIsNamedByTheJdksInnermostReason() {
        Throwable handshake = status(Status.UNAVAILABLE.withCause(new javax.net.ssl.SSLHandshakeException(
                "PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find"
                        + " valid certification path to requested target")));
        handshake.getCause().getCause().initCause(new java.security.cert.CertPathBuilderException(
                "unable to find valid certification path to requested target"));
        assertThat(Errors.kind(handshake)).isEqualTo(Errors.Kind.TLS);
        assertThat(Errors.tlsReason(handshake)).isEqualTo("unable to find valid certification path to requested target");
        assertThat(Errors.describe(handshake)).startsWith("TLS handshake failed (unable to find valid certification path");
        assertThat(Errors.tlsReason(status(Status.UNAVAILABLE))).isNull();
    }
}
