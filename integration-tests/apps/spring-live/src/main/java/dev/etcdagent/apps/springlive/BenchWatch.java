package dev.etcdagent.apps.springlive;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.etcdagent.Dynamic;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * For the benchmark only ({@code --bench.watch=true}): a daemon thread that polls a {@code @Dynamic} field, an
 * {@code @Value} field and a {@code @ConfigurationProperties} bean every 0.1 ms and prints
 * {@code <D|V|C> value micros} when one changes, so that the benchmark can time a put to each in the same JVM.
 */
@Component
@ConditionalOnProperty("bench.watch")
@EnableConfigurationProperties(BenchWatch.Bound.class)
class BenchWatch {

    @Dynamic("bench.dynamic") static int dynamic = -1;

    @Value("${bench.value:-1}")
    private int value;

    BenchWatch(Bound bound) {
        Thread watcher = new Thread(() -> watch(bound), "bench-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private void watch(Bound bound) {
        int[] last = {Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE};
        while (true) {
            print('D', dynamic, last, 0);
            print('V', value, last, 1);
            print('C', bound.getValue(), last, 2);
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
    }

    private static void print(char target, int now, int[] last, int index) {
        if (now != last[index]) {
            last[index] = now;
            System.out.println(target + " " + now + " " + micros());
        }
    }

    /** Wall-clock microseconds, comparable with the benchmark's own clock. */
    static long micros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /** The benchmark's {@code @ConfigurationProperties} target: {@code benchprops.value}. */
    @ConfigurationProperties("benchprops")
    static class Bound {
        private int value = -1;

        public int getValue() {
            return value;
        }

        public void setValue(int value) {
            this.value = value;
        }
    }
}
