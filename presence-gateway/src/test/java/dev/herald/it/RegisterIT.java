package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.fixtures.sipp.SippResult;
import dev.herald.fixtures.sipp.SippTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RFC 3261 §10: the registrar, from a trusted source (no credentials needed). */
class RegisterIT {
  private RunningHerald herald;

  @BeforeEach
  void start() throws Exception {
    herald = RunningHerald.start();
  }

  @AfterEach
  void stop() {
    herald.close();
  }

  /**
   * Two devices register (q-values), refresh, one unregisters, 423 under the minimum, a query,
   * {@code Contact: *} removes all, {@code *} without Expires 0 is 400.
   */
  @ParameterizedTest
  @EnumSource(SippTransport.class)
  void registerRefreshUnregister(SippTransport transport) {
    SippResult r = herald.sipp("register", transport).service("alice").run().assertPassed();
    assertEquals(1, r.received("423"), r.describe());
    assertTrue(herald.herald().registrar().lookup("sip:alice@herald.test").isEmpty());
  }
}
