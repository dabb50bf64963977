package dev.etcdagent.agent.etcd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One call to etcd's JSON gateway ({@code POST /v3/...}) with the JDK's own HTTP code: no gRPC,
 * Netty or protobuf to load, a few milliseconds a call. Plain {@code http://} without a user only.
 */
final class GatewayHttp {

    /** The calls in progress (the etcd loop's, the lease keeper's): at JVM exit they are cut short rather than waited for. */
    private static final Set<HttpURLConnection> IN_FLIGHT = ConcurrentHashMap.newKeySet();
    private static volatile boolean closed;

    private GatewayHttp() {
    }

    /**
     * At JVM exit: ends the calls in progress (their threads, blocked reading a socket, would hold up
     * the exit) and refuses later ones.
     */
    static void abortAll() {
        closed = true;
        for (HttpURLConnection current : IN_FLIGHT) {
            current.disconnect();
        }
    }

    /**
     * The deadline of the next endpoint's try, when {@code endpointsLeft} (this one included) share
     * what is left until {@code deadlineNanos}: a frozen member must not use up the healthy ones' time.
     */
    static long shareOf(long deadlineNanos, int endpointsLeft) {
        long now = System.nanoTime();
        return now + (deadlineNanos - now) / endpointsLeft;
    }

    /** etcd answered with an error: its gRPC code and message, as the gateway's JSON gives them. */
    static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;

        Refusal(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    /** The endpoint serves no JSON gateway: etcd's gRPC proxy, or etcd with {@code --enable-grpc-gateway=false}. */
    static final class NotServed extends IOException {
        private static final long serialVersionUID = 1L;

        NotServed(URI endpoint, int status) {
            super("etcd endpoint " + endpoint + " serves no JSON gateway (HTTP " + status + ")");
        }
    }

    /** The JVM is exiting: the call was refused, or cut short by {@link #abortAll}. Not etcd's doing. */
    static final class Exiting extends IOException {
        private static final long serialVersionUID = 1L;

        Exiting() {
            super("the JVM is exiting");
        }
    }

    /**
     * Posts {@code body} to {@code path} and returns the answer's bytes.
     *
     * @throws Refusal when etcd answered with an error (a JSON {@code error} and {@code code})
     * @throws IOException when the gateway could not be reached or did not answer in time
     */
    static byte[] post(URI endpoint, String path, String body, int timeoutMillis) throws IOException, Refusal {
        if (timeoutMillis <= 0) {
            throw new IOException("etcd gateway " + endpoint + " did not answer in time");
        }
        HttpURLConnection connection = (HttpURLConnection) new URL(endpoint + path).openConnection();
        IN_FLIGHT.add(connection);
        try {
            // After the add: abortAll, setting closed first, either sees this connection or is seen here.
            if (closed) {
                throw new Exiting();
            }
            connection.setConnectTimeout(timeoutMillis);
            connection.setReadTimeout(timeoutMillis);
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setUseCaches(false);
            connection.setRequestProperty("Content-Type", "application/json");
            // As jetcd's withRequireLeader: a member without a leader refuses at once instead of
            // hanging or, for a lease, answering from a lessor that no longer counts.
            connection.setRequestProperty("Grpc-Metadata-hasleader", "true");
            // A kept-alive connection would start the JDK's Keep-Alive-Timer thread for nothing.
            connection.setRequestProperty("Connection", "close");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
            int status = connection.getResponseCode();
            if (status == 404 || status == 405) {
                throw new NotServed(endpoint, status);
            }
            if (status != 200) {
                String error = errorText(connection);
                GatewayJson answer = GatewayJson.parseQuietly(error);
                String message = answer.text("error");
                if (message == null) {
                    message = answer.text("message");
                }
                int code = answer.code();
                if (message != null && code != 0) {
                    throw new Refusal(code, message);
                }
                throw new IOException("etcd gateway " + endpoint + " answered HTTP " + status);
            }
            try (InputStream in = connection.getInputStream()) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            if (closed) {
                throw new Exiting();
            }
            throw e;
        } finally {
            IN_FLIGHT.remove(connection);
            connection.disconnect();
        }
    }

    private static String errorText(HttpURLConnection connection) {
        try (InputStream in = connection.getErrorStream()) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
