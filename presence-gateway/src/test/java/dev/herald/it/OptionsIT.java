package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.fixtures.sipp.SippResult;
import dev.herald.fixtures.sipp.SippTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RFC 3261 §11: OPTIONS, CUCM's trunk keep-alive, answered 200 with Allow, Accept, Supported. */
class OptionsIT {
  private static RunningHerald herald;

  @BeforeAll
  static void start() throws Exception {
    herald = RunningHerald.start();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @ParameterizedTest
  @EnumSource(SippTransport.class)
  void optionsIsAnswered200WithCapabilities(SippTransport transport) {
    SippResult r = herald.sipp("options", transport).calls(5).run().assertPassed();
    assertEquals(5, r.successfulCalls(), r.describe());
    assertEquals(5, r.received("200"), r.describe());
  }
}
