package dev.etcdagent.it.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/** {@code System.getProperty} of a name etcd does not hold; run with and without the agent. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PropertyBenchmark {

    private String name = "bench.absent.property";

    @Benchmark
    public String getPropertyNotInEtcd() {
        return System.getProperty(name);
    }
}
