package dev.herald.bench;

import dev.herald.presence.pidf.PidfComposer;
import dev.herald.presence.pidf.PidfDocument;
import dev.herald.presence.pidf.PidfParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a PUBLISH costs the presence lane before any NOTIFY: parsing its PIDF body, and composing
 * the presentity's document from its publications (one per device).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ComposeBenchmark {
  private static final String ENTITY = "sip:alice@herald.test";

  private PidfParser parser;
  private byte[] body;
  private List<PidfDocument> oneDevice;
  private List<PidfDocument> threeDevices;

  @Setup
  public void setUp() throws Exception {
    parser = new PidfParser(65_536, 32);
    body = Documents.pidf(ENTITY, "desk", "open", "In a meeting").getBytes(StandardCharsets.UTF_8);
    PidfDocument desk = parser.parse(body);
    PidfDocument mobile =
        parser.parse(
            Documents.pidf(ENTITY, "mobile", "open", "On the road")
                .getBytes(StandardCharsets.UTF_8));
    PidfDocument laptop =
        parser.parse(
            Documents.pidf(ENTITY, "laptop", "closed", "Away").getBytes(StandardCharsets.UTF_8));
    oneDevice = List.of(desk);
    threeDevices = List.of(desk, mobile, laptop);
  }

  @Benchmark
  public PidfDocument parsePublishedBody() throws Exception {
    return parser.parse(body);
  }

  @Benchmark
  public String composeOneDevice() {
    return PidfComposer.compose(ENTITY, oneDevice);
  }

  @Benchmark
  public String composeThreeDevices() {
    return PidfComposer.compose(ENTITY, threeDevices);
  }
}
