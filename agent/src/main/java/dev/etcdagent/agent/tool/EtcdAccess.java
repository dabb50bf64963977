package dev.etcdagent.agent.tool;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
import dev.etcdagent.agent.etcd.Errors;
import dev.etcdagent.agent.etcd.GatewayReader;
import dev.etcdagent.agent.etcd.RangeRead;
import dev.etcdagent.agent.etcd.TlsContexts;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;

/**
 * The tool's way to etcd, from the agent's own connection arguments. Reads go through etcd's JSON
 * gateway when the endpoints are plain {@code http://} without a user (a few milliseconds instead of
 * a gRPC connect); writes and watches through jetcd. Every failure becomes one line (exit 3).
 */
final class EtcdAccess implements AutoCloseable {

    // The first call also connects, authenticates and loads gRPC: generous, as a hung etcd is rare.
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

    final AgentArguments arguments;
    private Client client;

    private EtcdAccess(AgentArguments arguments) {
        this.arguments = arguments;
    }

    /** The connection for {@code service}, from the command line's options, then the environment. */
    static EtcdAccess forService(String service, Map<String, String> options, Map<String, String> environment) {
        Map<String, String> asProperties = new HashMap<>();
        asProperties.put(Options.SERVICE.systemProperty(), service);
        for (Option<?> option : Options.forTool()) {
            String value = options.get(option.key());
            if (value != null) {
                asProperties.put(option.systemProperty(), value);
            }
        }
        AgentArguments arguments = AgentArguments.parse(null, asProperties, environment);
        for (String problem : arguments.problems()) {
            throw new ToolFailure(asToolProblem(problem));
        }
        if (!service.equals(arguments.service())) {
            throw new ToolFailure("SERVICE " + service + " must start with '/', e.g. /service/a");
        }
        return new EtcdAccess(arguments);
    }

    /** The agent's wording ("system property etcd.agent.x='…' … ; using …") as the tool's ("--x='…' …"). */
    private static String asToolProblem(String problem) {
        String line = problem.replace("system property etcd.agent.", "--").replace("password-file=", "--password-file ");
        int using = line.lastIndexOf("; using ");
        if (using > 0) {
            line = line.substring(0, using);
        }
        if (line.startsWith("argument user=")) {
            return "--user " + line.substring("argument user=".length(), line.indexOf(' ', "argument user=".length()))
                    + " has no password: set ETCD_AGENT_PASSWORD or give --password-file FILE";
        }
        return line.replace("; connecting without authentication", "")
                .replace("; connecting without a password", "")
                .replace("; connecting without a client certificate", "")
                .replace("argument --password-file", "--password-file");
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
        GetResponse response = await(client().getKVClient().get(bytes(prefix),
                GetOption.builder().isPrefix(true).build()), "read " + prefix);
        List<Change> entries = new ArrayList<>();
        for (KeyValue kv : response.getKvs()) {
            entries.add(new Change(kv.getKey().toString(StandardCharsets.UTF_8),
                    kv.getValue().toString(StandardCharsets.UTF_8), kv.getModRevision(), false));
        }
        return new RangeRead(entries, response.getHeader().getRevision(), response.getHeader().getClusterId());
    }

    /** Puts and returns the revision of the put. */
    long put(String key, String value) {
        return await(client().getKVClient().put(bytes(key), bytes(value)), "put " + key, mayHaveApplied("put", key))
                .getHeader().getRevision();
    }

    /** Deletes and returns the revision of the deletion, or 0 when there was no such key. */
    long delete(String key) {
        io.etcd.jetcd.kv.DeleteResponse response = await(client().getKVClient().delete(bytes(key)), "delete " + key,
                mayHaveApplied("delete", key));
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
     * Watches every key under {@code prefix} from {@code fromRevision}, handing each change (and, as a
     * {@link Change} with a null key, a failure) to {@code changes}.
     */
    Watch.Watcher watchPrefix(String prefix, long fromRevision, BlockingQueue<Object> changes) {
        WatchOption option = WatchOption.builder().isPrefix(true).withRevision(fromRevision).build();
        return client().getWatchClient().watch(bytes(prefix), option, Watch.listener(response -> {
            for (WatchEvent event : response.getEvents()) {
                KeyValue kv = event.getKeyValue();
                boolean delete = event.getEventType() == WatchEvent.EventType.DELETE;
                changes.add(new Change(kv.getKey().toString(StandardCharsets.UTF_8),
                        delete ? null : kv.getValue().toString(StandardCharsets.UTF_8), kv.getModRevision(), false));
            }
        }, error -> changes.add(new ToolFailure("the watch of " + prefix + " failed: " + describe(error)))));
    }

    private Client client() {
        if (client == null) {
            ClientBuilder builder = Client.builder()
                    .endpoints(arguments.endpoints().toArray(new URI[0]))
                    .connectTimeout(Duration.ofSeconds(2))
                    .retryMaxDuration(Duration.ofSeconds(2))
                    .waitForReady(false);
            if (arguments.user() != null && arguments.password() != null) {
                builder.user(bytes(arguments.user())).password(bytes(arguments.password()));
            }
            if (arguments.usesTls()) {
                try {
                    builder.sslContext(TlsContexts.forClient(arguments));
                } catch (IllegalArgumentException e) {
                    throw new ToolFailure(e.getMessage());
                }
            }
            client = builder.build();
        }
        return client;
    }

    private <T> T await(CompletableFuture<T> call, String what) {
        return await(call, what, "");
    }

    /** {@code ifUnanswered}: added when the call may have reached etcd all the same (no answer, connection lost). */
    private <T> T await(CompletableFuture<T> call, String what, String ifUnanswered) {
        try {
            return call.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolFailure("interrupted");
        } catch (TimeoutException e) {
            throw new ToolFailure("cannot " + what + ": etcd " + endpoints() + " did not answer within "
                    + CALL_TIMEOUT.toSeconds() + " s" + (ifUnanswered.isEmpty()
                    ? "; check --endpoints and that etcd runs" : ifUnanswered));
        } catch (ExecutionException e) {
            String reason = describe(e.getCause());
            boolean unanswered = Errors.isConnectivity(e.getCause())
                    && !reason.toLowerCase(Locale.ROOT).contains("connection refused");
            if (reason.startsWith("UNAVAILABLE")) {
                throw new ToolFailure("cannot " + what + ": etcd " + endpoints() + " is unreachable (" + reason
                        + ")" + (unanswered && !ifUnanswered.isEmpty() ? ifUnanswered
                        : "; check --endpoints and that etcd runs"));
            }
            throw new ToolFailure("cannot " + what + ": etcd " + endpoints() + " answered " + reason
                    + (unanswered ? ifUnanswered : hint(e.getCause())));
        }
    }

    private String hint(Throwable error) {
        String text = describe(error).toLowerCase(Locale.ROOT);
        if (text.contains("permission denied")) {
            return "; the user needs the operator role (see the README's Operating section)";
        }
        if (text.contains("authentication") || text.contains("invalid auth") || text.contains("user name")) {
            return "; check --user and its password (ETCD_AGENT_PASSWORD or --password-file)";
        }
        return "";
    }

    private static String describe(Throwable error) {
        return Errors.describe(error);
    }

    String endpoints() {
        StringBuilder text = new StringBuilder();
        for (URI endpoint : arguments.endpoints()) {
            text.append(text.length() == 0 ? "" : ",").append(endpoint);
        }
        return text.toString();
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (client != null) {
            try {
                client.close();
            } catch (RuntimeException ignored) {
                // exiting anyway
            }
        }
    }
}
