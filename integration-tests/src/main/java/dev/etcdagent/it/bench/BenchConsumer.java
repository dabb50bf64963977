package dev.etcdagent.it.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import dev.etcdagent.Discover;
import dev.etcdagent.Dynamic;

/**
 * The benchmark's consumer JVM: prints {@code MAIN <epochMicros> <value>} as main starts, then
 * {@code V <value> <epochMicros>} when its @Dynamic field changes and {@code P <count> <epochMicros>}
 * when its @Discover list changes, checking every millisecond (the figures' resolution).
 */
public final class BenchConsumer {

    @Dynamic("bench.value") static int value = -1;
    @Discover("/service/bench-provider") static List<String> providers = List.of();

    private BenchConsumer() {
    }

    static long micros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    public static void main(String[] args) throws InterruptedException {
        int lastValue = value;
        int lastCount = providers.size();
        System.out.println("MAIN " + micros() + " " + lastValue);
        if (args.length > 0 && args[0].equals("exit")) {
            return;
        }
        while (true) {
            int nowValue = value;
            if (nowValue != lastValue) {
                lastValue = nowValue;
                System.out.println("V " + nowValue + " " + micros());
            }
            int nowCount = providers.size();
            if (nowCount != lastCount) {
                lastCount = nowCount;
                System.out.println("P " + nowCount + " " + micros());
            }
            // Twenty consumers share two cores: polling faster would starve the agents being measured.
            Thread.sleep(1);
        }
    }
}
