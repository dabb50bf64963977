package dev.etcdagent.it.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One scrape of a Prometheus text endpoint (etcd's {@code /metrics}), kept as its samples: metric name,
 * labels, value. Only what the figures need: comments ({@code # HELP}, {@code # TYPE}) and timestamps are
 * skipped, and a histogram's lines are plain samples of their own names ({@code _bucket}, {@code _sum}).
 */
final class PrometheusText {

    /** One line: {@code name{label="value",...} value}. */
    private static final class Sample {
        final String name;
        final Map<String, String> labels;
        final double value;

        Sample(String name, Map<String, String> labels, double value) {
            this.name = name;
            this.labels = Map.copyOf(labels);
            this.value = value;
        }
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = List.copyOf(samples);
    }

    /** {@code GET {endpoint}/metrics}, parsed. */
    static PrometheusText scrape(String endpoint) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(endpoint + "/metrics").openConnection();
        connection.setConnectTimeout(1000);
        connection.setReadTimeout(5000);
        try (InputStream in = connection.getInputStream()) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            connection.disconnect();
        }
    }

    static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.trim();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                samples.add(sample(trimmed));
            }
        }
        return new PrometheusText(samples);
    }

    /**
     * The sum of every sample of {@code name} whose labels include {@code labels}: a counter summed over the
     * label sets it is split by. 0 when none matches; an exception when the metric is not there at all, so
     * that a misspelt name (or one this etcd does not have) cannot pass for a zero.
     */
    double sum(String name, Map<String, String> labels) {
        boolean known = false;
        double sum = 0;
        for (Sample sample : samples) {
            if (sample.name.equals(name)) {
                known = true;
                if (sample.labels.entrySet().containsAll(labels.entrySet())) {
                    sum += sample.value;
                }
            }
        }
        if (!known) {
            throw new IllegalStateException("no metric " + name + " in the scrape");
        }
        return sum;
    }

    /** The sum of every sample of {@code name}, whatever its labels; a gauge without labels is its value. */
    double sum(String name) {
        return sum(name, Map.of());
    }

    /** Every value that label {@code label} takes on the samples of {@code name}, sorted. */
    Set<String> labelValues(String name, String label) {
        Set<String> values = new TreeSet<>();
        for (Sample sample : samples) {
            if (sample.name.equals(name) && sample.labels.containsKey(label)) {
                values.add(sample.labels.get(label));
            }
        }
        return values;
    }

    private static Sample sample(String line) {
        int braces = line.indexOf('{');
        int space = line.indexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        int rest;
        if (braces >= 0 && (space < 0 || braces < space)) {
            name = line.substring(0, braces);
            rest = labels(line, braces + 1, labels);
        } else if (space > 0) {
            name = line.substring(0, space);
            rest = space;
        } else {
            throw new IllegalArgumentException("not a sample: " + line);
        }
        // The value, then an optional timestamp.
        String value = line.substring(rest).trim().split("\\s+", -1)[0];
        return new Sample(name, labels, number(value));
    }

    /** Reads {@code a="x",b="y"}} from {@code from} into {@code labels}; returns the index after the closing brace. */
    private static int labels(String line, int from, Map<String, String> labels) {
        int i = from;
        while (true) {
            while (line.charAt(i) == ' ' || line.charAt(i) == ',') {
                i++;
            }
            if (line.charAt(i) == '}') {
                return i + 1;
            }
            int equals = line.indexOf('=', i);
            String label = line.substring(i, equals).trim();
            i = equals + 1;
            if (line.charAt(i) != '"') {
                throw new IllegalArgumentException("label " + label + " without a quoted value: " + line);
            }
            StringBuilder value = new StringBuilder();
            for (i++; line.charAt(i) != '"'; i++) {
                char c = line.charAt(i);
                if (c == '\\') {
                    char escaped = line.charAt(++i);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
            }
            labels.put(label, value.toString());
            i++;
        }
    }

    private static double number(String text) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.parseDouble(text);
        }
    }
}
