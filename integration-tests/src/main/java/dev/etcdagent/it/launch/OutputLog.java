package dev.etcdagent.it.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;

/** One output stream of a child process, kept line by line in memory and copied to a file. */
public final class OutputLog {

    private final List<String> lines = new ArrayList<>();
    private final Path file;
    private final CountDownLatch ended = new CountDownLatch(1);

    OutputLog(InputStream in, Path file, String threadName) {
        this.file = file;
        Thread reader = new Thread(() -> pump(in), threadName);
        reader.setDaemon(true);
        reader.start();
    }

    private void pump(InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                synchronized (lines) {
                    lines.add(line);
                }
                out.write(line);
                out.write('\n');
                out.flush();
            }
        } catch (IOException ignored) {
            // the process ended
        } finally {
            ended.countDown();
        }
    }

    /** Waits until the stream has ended (its process exited and every line was read), then returns every line. */
    public List<String> awaitEnd(Duration timeout) {
        try {
            if (!ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(file + " still open after " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return lines();
    }

    public List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    public String text() {
        return String.join("\n", lines());
    }

    public Path file() {
        return file;
    }

    public boolean contains(String fragment) {
        return lines().stream().anyMatch(line -> line.contains(fragment));
    }

    public long count(Predicate<String> predicate) {
        return lines().stream().filter(predicate).count();
    }

    /** Waits for a line matching {@code regex} and returns its first group (or the whole line). */
    public String await(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        String[] found = new String[1];
        Awaitility.await("a line matching " + regex + " in " + file).atMost(timeout).pollInterval(Duration.ofMillis(5))
                .until(() -> {
                    for (String line : lines()) {
                        Matcher matcher = pattern.matcher(line);
                        if (matcher.find()) {
                            found[0] = matcher.groupCount() > 0 ? matcher.group(1) : line;
                            return true;
                        }
                    }
                    return false;
                });
        return found[0];
    }

    /** The index just past the current last line: {@link #awaitAfter} sees only later lines. */
    public int mark() {
        synchronized (lines) {
            return lines.size();
        }
    }

    public String awaitAfter(int mark, String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        String[] found = new String[1];
        Awaitility.await("a line matching " + regex + " in " + file).atMost(timeout).pollInterval(Duration.ofMillis(5))
                .until(() -> {
                    List<String> all = lines();
                    for (int i = mark; i < all.size(); i++) {
                        Matcher matcher = pattern.matcher(all.get(i));
                        if (matcher.find()) {
                            found[0] = matcher.groupCount() > 0 ? matcher.group(1) : all.get(i);
                            return true;
                        }
                    }
                    return false;
                });
        return found[0];
    }
}
