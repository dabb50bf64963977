package dev.etcdagent.agent.tool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.etcdagent.agent.config.Option;
import dev.etcdagent.agent.config.Options;
import dev.etcdagent.agent.convert.ConversionException;
import dev.etcdagent.agent.convert.Converters;

/**
 * The tool's command line: a command, its operands, and options anywhere among them
 * ({@code --name value} or {@code --name=value}). The connection options are the agent's
 * arguments of the same names, with the same defaults and environment variables.
 */
final class CommandLine {

    /** Options that take a value: the agent's connection arguments, and --wait. */
    static final List<String> VALUED = valued();
    private static final List<String> FLAGS = List.of("json", "help");
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    final String command;
    final List<String> operands;
    final Map<String, String> options;
    final boolean json;
    final boolean help;

    private CommandLine(String command, List<String> operands, Map<String, String> options, boolean json,
                        boolean help) {
        this.command = command;
        this.operands = operands;
        this.options = options;
        this.json = json;
        this.help = help;
    }

    private static List<String> valued() {
        List<String> names = new ArrayList<>();
        for (Option<?> option : Options.forTool()) {
            names.add(option.key());
        }
        names.add("wait");
        names.addAll(ScopeOptions.NAMES);
        names.addAll(List.of("for", "reason", "to", "audit", "limit"));
        return List.copyOf(names);
    }

    static CommandLine parse(String[] args) {
        List<String> words = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        boolean json = false;
        boolean help = false;
        boolean onlyOperands = false;
        int unknown = -1;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (onlyOperands || !arg.startsWith("--")) {
                words.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                onlyOperands = true;
                continue;
            }
            int eq = arg.indexOf('=');
            String name = (eq < 0 ? arg.substring(2) : arg.substring(2, eq)).toLowerCase(Locale.ROOT);
            if (FLAGS.contains(name) && eq < 0) {
                json |= name.equals("json");
                help |= name.equals("help");
            } else if (VALUED.contains(name)) {
                if (eq >= 0) {
                    options.put(name, arg.substring(eq + 1));
                } else if (i + 1 < args.length) {
                    options.put(name, args[++i]);
                } else {
                    throw new ToolFailure("option --" + name + " needs a value: --" + name + " <value>");
                }
            } else if (unknown < 0) {
                unknown = i;
            }
        }
        if (unknown >= 0) {
            if (!words.isEmpty() && words.get(0).equals("put")) {
                // Not repeated: it may be the VALUE, which no line of the tool ever shows.
                throw new ToolFailure("put: argument " + (unknown + 1) + " is an unknown option; a VALUE that starts"
                        + " with '--' goes after '--': " + Help.usage("put").replaceFirst(" VALUE", " -- VALUE"));
            }
            throw new ToolFailure("unknown option " + args[unknown] + "; see --help");
        }
        if (words.isEmpty() && args.length > 0 && !help) {
            throw new ToolFailure("no command: give " + OperatorTool.COMMANDS + "; see --help");
        }
        String command = words.isEmpty() ? null : words.remove(0);
        return new CommandLine(command, words, options, json, help);
    }

    /** How long put and delete wait for confirmations; zero means not at all. */
    Duration waitTime() {
        String text = options.get("wait");
        if (text == null) {
            return DEFAULT_WAIT;
        }
        if (text.trim().equals("0")) {
            return Duration.ZERO;
        }
        try {
            Duration wait = (Duration) Converters.forType(Duration.class).convert(text.trim());
            if (wait.isNegative()) {
                throw new ConversionException("negative");
            }
            return wait;
        } catch (ConversionException | IllegalArgumentException e) {
            throw new ToolFailure("--wait " + text + " is not a duration: write e.g. 10s, 500ms, 1m or 0");
        }
    }

    /** Fails when an option is given that {@code command} does not take. */
    void allowOnly(List<String> allowed) {
        for (String name : options.keySet()) {
            boolean connection = Options.forTool().stream().anyMatch(option -> option.key().equals(name));
            if (!connection && !allowed.contains(name)) {
                throw new ToolFailure(command + " takes no --" + name + "; usage: " + Help.usage(command));
            }
        }
    }

    /** A whole number option, at least 1; {@code fallback} when absent. */
    int count(String name, int fallback) {
        String text = options.get(name);
        if (text == null) {
            return fallback;
        }
        if (!text.trim().matches("[1-9][0-9]{0,5}")) {
            throw new ToolFailure("--" + name + " " + text + " is not a count: give a whole number from 1, e.g. --"
                    + name + " 20");
        }
        return Integer.parseInt(text.trim());
    }

    /** The {@code N}th operand, or a one-line usage failure naming what is missing. */
    String operand(int index, String name) {
        if (operands.size() <= index) {
            throw new ToolFailure(command + ": missing " + name + "; usage: " + Help.usage(command));
        }
        return operands.get(index);
    }

    void expectOperands(int count) {
        if (operands.size() > count) {
            if (command.equals("put")) {
                // Not repeated: the extra words are most likely a VALUE with spaces, left unquoted.
                throw new ToolFailure("put: " + operands.size() + " operands where 3 are expected (quote a VALUE"
                        + " with spaces); usage: " + Help.usage(command));
            }
            throw new ToolFailure(command + ": unexpected " + operands.get(count) + "; usage: " + Help.usage(command));
        }
    }
}
