package dev.herald.bench;

import dev.herald.concurrent.KeyedExecutor;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The presence lanes' hand-off: submitting tasks for many presentities to the striped executor and
 * waiting until all have run (the cost per task of the queueing and thread hand-off alone).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KeyedExecutorBenchmark {
  private static final int TASKS = 10_000;
  private static final String[] KEYS = new String[1_000];

  static {
    for (int i = 0; i < KEYS.length; i++) {
      KEYS[i] = "sip:user" + i + "@herald.test";
    }
  }

  private KeyedExecutor lanes;

  @Setup(Level.Trial)
  public void start() {
    lanes = KeyedExecutor.striped(4, "bench-lane-");
  }

  @TearDown(Level.Trial)
  public void stop() {
    lanes.shutdown(Duration.ofSeconds(5));
  }

  @Benchmark
  @OperationsPerInvocation(TASKS)
  public void tenThousandTasksOverAThousandKeys() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(TASKS);
    for (int i = 0; i < TASKS; i++) {
      lanes.execute(KEYS[i % KEYS.length], done::countDown);
    }
    done.await();
  }
}
