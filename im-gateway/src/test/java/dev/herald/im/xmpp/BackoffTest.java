package dev.herald.im.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reconnect delays: doubling from min, capped at max, jittered between half and all. */
class BackoffTest {

  private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

  @ParameterizedTest(name = "attempt {0}, random {1}: {2} ms")
  @CsvSource({
    "0, 0.0, 500",
    "0, 0.999999, 999",
    "1, 0.0, 1000",
    "1, 0.5, 1500",
    "2, 0.0, 2000",
    "5, 0.0, 16000",
    "5, 0.999999, 31999",
    "6, 0.0, 30000",
    "6, 0.999999, 59999",
    "7, 0.0, 30000",
    "1000, 0.999999, 59999",
  })
  void doublesUpToTheCapWithJitter(int attempt, double random, long millis) {
    assertEquals(Duration.ofMillis(millis), BACKOFF.delay(attempt, random));
  }

  @Test
  void boundsMustBeOrdered() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ZERO));
  }
}
