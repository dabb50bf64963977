package dev.etcdagent.agent.tool;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.etcdagent.agent.config.AgentArguments;
import dev.etcdagent.agent.config.Option;
import dev.etcdagent.agent.config.Options;
import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.etcd.DirectCalls;
import dev.etcdagent.agent.etcd.Errors;
import dev.etcdagent.agent.etcd.GatewayReader;
import dev.etcdagent.agent.etcd.KeyWatch;
import dev.etcdagent.agent.etcd.RangeRead;
import dev.etcdagent.agent.etcd.RangeReader;
import dev.etcdagent.agent.etcd.WatchHandler;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;

/**
 * The tool's way to etcd, from the agent's own connection arguments and through the agent's own
 * etcd layer ({@link DirectCalls}: the same client builder, paged reads, watch and error kinds).
 * Reads go through etcd's JSON gateway when the endpoints are plain {@code http://} without a user
 * (a few milliseconds instead of a gRPC connect). Every failure becomes one line (exit 3).
 */
final class EtcdAccess implements AutoCloseable {

    // The first call also connects, authenticates and loads gRPC: generous, as a hung etcd is rare.
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

    final AgentArguments arguments;
    private final DirectCalls etcd;

    private EtcdAccess(AgentArguments arguments) {
        this.arguments = arguments;
        this.etcd = new DirectCalls(arguments, CALL_TIMEOUT);
    }

    /** The connection for {@code service}, from the command line's options, then the environment. */
    static EtcdAccess forService(String service, Map<String, String> options, Map<String, String> environment) {
        Map<String, String> toolOptions = new HashMap<>();
        toolOptions.put(Options.SERVICE.key(), service);
        for (Option<?> option : Options.forTool()) {
            String value = options.get(option.key());
            if (value != null) {
                toolOptions.put(option.key(), value);
            }
        }
        AgentArguments arguments = AgentArguments.forTool(toolOptions, environment);
        for (String problem : arguments.problems()) {
            throw new ToolFailure(problem);
        }
        if (!service.equals(arguments.service())) {
            throw new ToolFailure("SERVICE " + service + " must start with '/', e.g. /service/a");
        }
        return new EtcdAccess(arguments);
    }

    /** Where the status records of the service are: {@code {status}{service}/}. */
    String statusPrefix() {
        if (arguments.statusPrefix() == null) {
            throw new ToolFailure("--status off: the instances publish no status records to read");
        }
        return arguments.statusPrefix() + arguments.service() + "/";
    }

    /** {@code {config}/NAME}, or NAME itself when it starts with '/'. */
    String configKey(String name) {
        if (name.startsWith("/")) {
            return name;
        }
        return arguments.configPrefix() + "/" + name;
    }

    /** Every key under {@code prefix} and etcd's revision. */
    RangeRead readPrefix(String prefix) {
        if (!arguments.usesTls() && arguments.user() == null) {
            try {
                return GatewayReader.read(arguments.endpoints(), prefix, true, (int) CALL_TIMEOUT.toMillis());
            } catch (Exception e) {
                // An endpoint without the gateway (--enable-grpc-gateway=false) still answers gRPC.
            }
        }
        return await(RangeReader.read(etcd, prefix, true), "read " + prefix, "");
    }

    /** Where the audit entries of the service's changes are: {@code {audit}{service}}. */
    String auditPrefix(String audit) {
        return audit + arguments.service();
    }

    /**
     * Every key under {@code prefix} as etcd held them at {@code revision} (0: now), with etcd's
     * revision. Fails with {@link Compacted} when that revision is compacted away.
     */
    GetResponse get(String prefix, boolean isPrefix, long revision) {
        GetOption.Builder option = GetOption.builder().isPrefix(isPrefix);
        if (revision > 0) {
            option.withRevision(revision);
        }
        GetOption built = option.build();
        CompletableFuture<GetResponse> call = etcd.call(client -> client.getKVClient().get(bytes(prefix), built));
        try {
            return call.get(CALL_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (Errors.kind(e.getCause()) == Errors.Kind.COMPACTED) {
                throw new Compacted(revision);
            }
        } catch (InterruptedException | TimeoutException e) {
            // await says it
        }
        return await(call, "read " + prefix, "");
    }

    /** One key as etcd held it at {@code revision}, or null when it did not exist then. */
    KeyValue getAt(String key, long revision) {
        List<KeyValue> kvs = get(key, false, revision).getKvs();
        return kvs.isEmpty() ? null : kvs.get(0);
    }

    /**
     * Commits {@code then} if every {@code guard} holds; returns etcd's answer. What the change may
     * have done when etcd did not answer is said as for a put.
     */
    TxnResponse commit(List<Cmp> guards, List<Op> then, String what, String key) {
        return await(etcd.call(client -> client.getKVClient().txn().If(guards.toArray(new Cmp[0]))
                .Then(then.toArray(new Op[0])).commit()), what + " " + key, mayHaveApplied(what, key));
    }

    /** A new lease of {@code ttl}, for a temporary value: etcd deletes the value when it ends. */
    long grant(Duration ttl) {
        return await(etcd.call(client -> client.getLeaseClient().grant(ttl.toSeconds())), "grant a lease of "
                + ttl.toSeconds() + " s", "").getID();
    }

    /** Ends a lease the change did not use (0: none), so that it does not linger for its TTL; failures are ignored. */
    void revokeQuietly(long lease) {
        if (lease == 0) {
            return;
        }
        try {
            etcd.call(client -> client.getLeaseClient().revoke(lease)).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // It ends by itself at its TTL.
        }
    }

    /** The seconds left to {@code lease}, or -1 when it is gone. */
    long secondsLeft(long lease) {
        return await(etcd.call(client -> client.getLeaseClient().timeToLive(lease, LeaseOption.DEFAULT)),
                "read lease " + Long.toHexString(lease), "").getTTL();
    }

    /** A read at a revision etcd has compacted away. */
    static final class Compacted extends ToolFailure {
        final long revision;

        Compacted(long revision) {
            super("revision " + revision + " is compacted: etcd no longer holds it");
            this.revision = revision;
        }
    }

    /** Puts and returns the revision of the put. */
    long put(String key, String value) {
        return await(etcd.call(client -> client.getKVClient().put(bytes(key), bytes(value))), "put " + key,
                mayHaveApplied("put", key)).getHeader().getRevision();
    }

    /** Deletes and returns the revision of the deletion, or 0 when there was no such key. */
    long delete(String key) {
        io.etcd.jetcd.kv.DeleteResponse response = await(etcd.call(client -> client.getKVClient().delete(bytes(key))),
                "delete " + key, mayHaveApplied("delete", key));
        return response.getDeleted() == 0 ? 0 : response.getHeader().getRevision();
    }

    /**
     * What to say when a change got no answer: etcd may have received and applied it. The commands
     * to check name the key and the service, never the value.
     */
    private String mayHaveApplied(String verb, String key) {
        StringBuilder get = new StringBuilder("etcdctl --endpoints=").append(endpoints());
        if (arguments.user() != null) {
            get.append(" --user=").append(shellWord(arguments.user()));
        }
        if (arguments.usesTls()) {
            appendFile(get, "cacert", arguments.cacert());
            appendFile(get, "cert", arguments.cert());
            appendFile(get, "key", arguments.key());
        }
        get.append(" get --write-out=fields ").append(shellWord(key));
        return "; the " + verb + " may have been applied all the same: check with " + get + " (its ModRevision), and"
                + " see what each instance applied with java -jar etcd-agent.jar status " + arguments.service();
    }

    private static void appendFile(StringBuilder command, String option, Object file) {
        if (file != null) {
            command.append(" --").append(option).append('=').append(shellWord(file.toString()));
        }
    }

    /** {@code text} as one shell word: single-quoted unless it is plain. */
    static String shellWord(String text) {
        if (text.matches("[A-Za-z0-9/._:@%+,=-]+")) {
            return text;
        }
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /**
     * Watches every key under {@code prefix} from {@code fromRevision}, handing each {@link Change}
     * (and, as a {@link ToolFailure}, the watch's end) to {@code changes}.
     */
    KeyWatch watchPrefix(String prefix, long fromRevision, BlockingQueue<Object> changes) {
        try {
            return etcd.watch(prefix, true, fromRevision, new WatchHandler() {
                @Override
                public void changed(List<Change> changed) {
                    changes.addAll(changed);
                }

                @Override
                public void ended(Throwable error, boolean compacted) {
                    changes.add(new ToolFailure("the watch of " + prefix + " failed: " + Errors.describe(error)));
                }
            });
        } catch (IllegalArgumentException e) {
            throw new ToolFailure(e.getMessage());
        }
    }

    /**
     * The call's result, or one line saying what failed and what to check. {@code ifUnanswered} is
     * added when the call may have reached etcd all the same (no answer, connection lost).
     */
    private <T> T await(CompletableFuture<T> call, String what, String ifUnanswered) {
        String checkEtcd = "; check --endpoints and that etcd runs";
        try {
            // The call has its own time limit; this one is a guard.
            return call.get(CALL_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolFailure("interrupted");
        } catch (TimeoutException | ExecutionException e) {
            Throwable cause = e instanceof TimeoutException ? e : e.getCause();
            String reason = Errors.describe(cause);
            String cannot = "cannot " + what + ": etcd " + endpoints();
            switch (Errors.kind(cause)) {
                case NO_ANSWER:
                    throw new ToolFailure(cannot + " did not answer within " + CALL_TIMEOUT.toSeconds() + " s"
                            + (ifUnanswered.isEmpty() ? checkEtcd : ifUnanswered));
                case UNREACHABLE:
                    throw new ToolFailure(cannot + " is unreachable (" + reason + ")" + checkEtcd);
                case UNAVAILABLE:
                    throw new ToolFailure(cannot + " is unreachable (" + reason + ")"
                            + (ifUnanswered.isEmpty() ? checkEtcd : ifUnanswered));
                case INTERRUPTED:
                    throw new ToolFailure(cannot + " answered " + reason + ifUnanswered);
                case TLS:
                    throw new ToolFailure(cannot + ": the TLS handshake failed (" + Errors.tlsReason(cause)
                            + "); check that --cacert is the CA that signed etcd's certificate, that the certificate"
                            + " names this host, and that etcd accepts --cert and --key");
                case PERMISSION_DENIED:
                    throw new ToolFailure(cannot + " answered " + reason
                            + "; the user needs the operator role (see docs/security.md)");
                case AUTHENTICATION:
                    throw new ToolFailure(cannot + " answered " + reason
                            + "; check --user and its password (ETCD_AGENT_PASSWORD or --password-file)");
                default:
                    throw new ToolFailure(cannot + " answered " + reason);
            }
        } catch (IllegalArgumentException e) {
            // The client could not be built (TLS files): the message names the fix.
            throw new ToolFailure(e.getMessage());
        }
    }

    String endpoints() {
        StringBuilder text = new StringBuilder();
        for (URI endpoint : arguments.endpoints()) {
            text.append(text.length() == 0 ? "" : ",").append(endpoint);
        }
        return text.toString();
    }

    static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        etcd.close();
    }
}
