package dev.etcdagent.agent.etcd;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.common.exception.ClosedClientException;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Sorts jetcd's and gRPC's failures into what the agent does about them. */
public final class Errors {

    private Errors() {
    }

    /** What became of a call, for whoever reports it: the agent's log or the operator's tool. */
    public enum Kind {
        /** No answer within the time limit: the request may have reached etcd and been applied. */
        NO_ANSWER,
        /** The connection was refused: the request never reached etcd. */
        UNREACHABLE,
        /** etcd became unavailable (connection lost, no leader) while the call was under way. */
        UNAVAILABLE,
        /** The call ended some other way without etcd's answer (cancelled, reset, closed). */
        INTERRUPTED,
        /** The TLS handshake failed: a certificate not trusted, or not accepted. */
        TLS,
        /** etcd refused the user or its password. */
        AUTHENTICATION,
        /** etcd refused the request for lack of a permission. */
        PERMISSION_DENIED,
        /** The answer was over the client's inbound message limit. */
        TOO_LARGE,
        /** The revision asked for has been compacted away. */
        COMPACTED,
        /** etcd no longer knows the lease. */
        LEASE_NOT_FOUND,
        /** Any other answer that refuses the request. */
        REFUSED
    }

    /** Sorts a call's failure into one {@link Kind}; {@link #describe} says it in one line. */
    public static Kind kind(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof TimeoutException) {
            return Kind.NO_ANSWER;
        }
        if (tlsReason(cause) != null) {
            return Kind.TLS;
        }
        if (isAuthentication(cause)) {
            return Kind.AUTHENTICATION;
        }
        if (isPermissionDenied(cause)) {
            return Kind.PERMISSION_DENIED;
        }
        if (isTooLarge(cause)) {
            return Kind.TOO_LARGE;
        }
        if (isCompacted(cause)) {
            return Kind.COMPACTED;
        }
        if (isLeaseNotFound(cause)) {
            return Kind.LEASE_NOT_FOUND;
        }
        if (isConnectivity(cause)) {
            if (String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT).contains("connection refused")
                    || find(cause, java.net.ConnectException.class) != null) {
                return Kind.UNREACHABLE;
            }
            return statusCode(cause) == Status.Code.UNAVAILABLE ? Kind.UNAVAILABLE : Kind.INTERRUPTED;
        }
        return Kind.REFUSED;
    }

    /**
     * Failures that mean etcd cannot be reached, or the member reached cannot serve (no leader),
     * rather than a refused request.
     */
    public static boolean isConnectivity(Throwable error) {
        Throwable cause = unwrap(error);
        String text = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (text.contains("no leader") || text.contains("requires leader") || text.contains("requires a leader")) {
            return true;
        }
        if (cause instanceof TimeoutException || cause instanceof IOException
                || cause instanceof ClosedClientException) {
            return true;
        }
        Status.Code code = statusCode(cause);
        if (code != null) {
            switch (code) {
                case UNAVAILABLE:
                case DEADLINE_EXCEEDED:
                case CANCELLED:
                case UNKNOWN:
                case INTERNAL:
                    return true;
                default:
                    return false;
            }
        }
        return text.contains("unavailable") || text.contains("connection refused") || text.contains("closed");
    }

    static boolean isAuthentication(Throwable error) {
        Throwable cause = unwrap(error);
        String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        return statusCode(cause) == Status.Code.UNAUTHENTICATED || message.contains("authentication failed")
                || message.contains("invalid auth token") || message.contains("user name is empty");
    }

    /** An answer over the client's inbound message limit. */
    static boolean isTooLarge(Throwable error) {
        Throwable cause = unwrap(error);
        return statusCode(cause) == Status.Code.RESOURCE_EXHAUSTED
                || String.valueOf(cause.getMessage()).contains("exceeds maximum size");
    }

    /** A read at a revision etcd has compacted away. */
    static boolean isCompacted(Throwable error) {
        return String.valueOf(unwrap(error).getMessage()).toLowerCase(Locale.ROOT)
                .contains("required revision has been compacted");
    }

    /** etcd no longer knows the lease: expired, revoked, or etcd was wiped. */
    public static boolean isLeaseNotFound(Throwable error) {
        Throwable cause = unwrap(error);
        return statusCode(cause) == Status.Code.NOT_FOUND
                || String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT).contains("requested lease not found");
    }

    /** etcd refused the request for lack of a permission (a role without the key or lease rights). */
    public static boolean isPermissionDenied(Throwable error) {
        Throwable cause = unwrap(error);
        return statusCode(cause) == Status.Code.PERMISSION_DENIED
                || String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT).contains("permission denied");
    }

    /** One line: what failed, with a hint where the cause is a known mistake. */
    public static String describe(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof TimeoutException) {
            // AgentLoop.timeLimit names the limit that ran out (calls have different ones).
            return cause.getMessage() != null ? cause.getMessage()
                    : "no answer within " + EtcdSession.CALL_TIMEOUT.toMillis() + " ms";
        }
        String tls = tlsReason(cause);
        if (tls != null) {
            return "TLS handshake failed (" + tls + "): check that cacert is the CA that"
                    + " signed etcd's certificate, that it names this host, and that cert/key are accepted by etcd";
        }
        Status.Code code = statusCode(cause);
        String message = firstLine(cause.getMessage());
        if (code != null) {
            String detail = message.replace(code.name() + ": ", "").replace(code.name(), "").trim();
            return code + (detail.isEmpty() ? "" : " (" + detail + ")");
        }
        return cause.getClass().getSimpleName() + (message.isEmpty() ? "" : " " + message);
    }

    /** The failure inside a {@link java.util.concurrent.CompletionException} or {@link java.util.concurrent.ExecutionException}. */
    public static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof java.util.concurrent.CompletionException
                || current instanceof java.util.concurrent.ExecutionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /**
     * Why a TLS handshake failed, in the JDK's words of the innermost cause (e.g. "unable to find
     * valid certification path to requested target"); null when {@code error} is no TLS failure.
     */
    public static String tlsReason(Throwable error) {
        Throwable tls = find(error, javax.net.ssl.SSLException.class);
        if (tls == null) {
            tls = find(error, java.security.cert.CertificateException.class);
        }
        if (tls == null) {
            return null;
        }
        Throwable root = tls;
        while (root.getCause() != null && root.getCause() != root && root.getCause().getMessage() != null) {
            root = root.getCause();
        }
        return firstLine(root.getMessage());
    }

    private static Throwable find(Throwable error, Class<? extends Throwable> type) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return current;
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return null;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).trim();
    }

    private static Status.Code statusCode(Throwable cause) {
        Throwable current = cause;
        while (current != null) {
            if (current instanceof GatewayHttp.Refusal) {
                int code = ((GatewayHttp.Refusal) current).code;
                return code > 0 && code < Status.Code.values().length ? Status.Code.values()[code] : null;
            }
            if (current instanceof StatusRuntimeException) {
                return ((StatusRuntimeException) current).getStatus().getCode();
            }
            if (current instanceof EtcdException) {
                try {
                    return Status.Code.valueOf(((EtcdException) current).getErrorCode().name());
                } catch (IllegalArgumentException ignored) {
                    return null;
                }
            }
            current = current.getCause() == current ? null : current.getCause();
        }
        return null;
    }
}
