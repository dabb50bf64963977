package dev.etcdagent.it.bench;

import dev.etcdagent.Dynamic;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/** Reading a @Dynamic field (made volatile by the agent) against reading a plain volatile static field. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FieldReadBenchmark {

    @Dynamic("bench.read") static int dynamicField = 1;
    static volatile int volatileField = 1;

    @Benchmark
    public int dynamicFieldRead() {
        return dynamicField;
    }

    @Benchmark
    public int volatileFieldRead() {
        return volatileField;
    }
}
