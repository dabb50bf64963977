package dev.etcdagent.it.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's table: every figure adds its row here as it is measured (echoed to stderr, so that
 * a long run shows its figures as they come), and the whole table is printed in Markdown at the end
 * and written to integration-tests/target/benchmark.md.
 */
final class Table {

    private final List<String[]> rows = new ArrayList<>();

    void row(String figure, String target, String measured, String note) {
        rows.add(new String[] {figure, target, measured, note});
        System.err.println("measured: " + figure + " = " + measured + " " + note);
    }

    void print() throws IOException {
        StringBuilder table = new StringBuilder();
        table.append("Measured ").append(LocalDate.now(java.time.ZoneId.systemDefault())).append(" on ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
                .append(", etcd ").append(etcdVersion()).append(".\n\n");
        table.append("| figure | target | measured | notes |\n|---|---|---|---|\n");
        for (String[] row : rows) {
            table.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        System.out.println(table);
        Path out = Paths.get("integration-tests", "target", "benchmark.md");
        if (Files.isDirectory(out.getParent())) {
            Files.writeString(out, table.toString(), StandardCharsets.UTF_8);
        }
    }

    private static String etcdVersion() {
        try {
            Process process = new ProcessBuilder("/usr/bin/etcd", "--version").start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return text.lines().findFirst().orElse("?").replace("etcd Version: ", "");
        } catch (IOException e) {
            return "?";
        }
    }

    /** A whole number with its sign: a difference that may come out either way. */
    static String signed(double value) {
        return String.format(Locale.ROOT, "%+.0f", value);
    }

    static String format(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
