package dev.etcdagent.agent.etcd;

import javax.net.ssl.SSLException;

import dev.etcdagent.agent.config.AgentArguments;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

/** TLS for https:// endpoints: cacert verifies the server, cert and key authenticate the client. */
public final class TlsContexts {

    private TlsContexts() {
    }

    public static SslContext forClient(AgentArguments arguments) {
        try {
            SslContextBuilder builder = GrpcSslContexts.forClient();
            if (arguments.cacert() != null) {
                builder.trustManager(arguments.cacert().toFile());
            }
            if (arguments.cert() != null && arguments.key() != null) {
                builder.keyManager(arguments.cert().toFile(), arguments.key().toFile());
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("TLS set-up failed (" + e.getMessage()
                    + "): cacert, cert and key must be PEM files (key in PKCS#8)", e);
        }
    }
}
