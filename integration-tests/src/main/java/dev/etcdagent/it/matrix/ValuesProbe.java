package dev.etcdagent.it.matrix;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.etcdagent.matrix.grpc.ValuesService;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;

/**
 * How the matrix asks an application what it observes, over the application's own protocol (never its
 * stdout): its answer is {@code dynamic=<@Dynamic field> property=<System.getProperty value> [more=...]}.
 */
public interface ValuesProbe {

    Duration CALL_TIMEOUT = Duration.ofSeconds(2);

    /** The application's answer; fails (any exception) when it does not answer yet. */
    String read(int port) throws Exception;

    /** The answer as {@code name -> value}. */
    default Map<String, String> values(int port) throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        for (String token : read(port).trim().split(" ")) {
            int equals = token.indexOf('=');
            if (equals > 0) {
                values.put(token.substring(0, equals), token.substring(equals + 1));
            }
        }
        return values;
    }

    /** An HTTP GET of {@code path} on 127.0.0.1:port; a status other than 200 is a failure. */
    static ValuesProbe http(String path) {
        return port -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(CALL_TIMEOUT).GET().build();
            HttpResponse<String> response = Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("GET " + request.uri() + ": HTTP " + response.statusCode() + " " + response.body());
            }
            return response.body();
        };
    }

    /** The unary gRPC method {@code matrix.Values/Get} on 127.0.0.1:port, plaintext. */
    static ValuesProbe grpc() {
        return port -> {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            try {
                return ClientCalls.blockingUnaryCall(channel, ValuesService.GET,
                        io.grpc.CallOptions.DEFAULT.withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "");
            } catch (StatusRuntimeException e) {
                throw new IOException("matrix.Values/Get on 127.0.0.1:" + port + ": " + e.getStatus(), e);
            } finally {
                channel.shutdownNow();
            }
        };
    }

    /** One HTTP client for every probe: HTTP/1.1, as every server of the matrix speaks it. */
    final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CALL_TIMEOUT).build();

        private Http() {
        }
    }
}
