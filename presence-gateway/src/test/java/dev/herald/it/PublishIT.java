package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.fixtures.sipp.SippResult;
import dev.herald.fixtures.sipp.SippTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RFC 3903: the PUBLISH lifecycle and every error answer. */
class PublishIT {
  private RunningHerald herald;

  @BeforeEach
  void start() throws Exception {
    herald = RunningHerald.start();
  }

  @AfterEach
  void stop() {
    herald.close();
  }

  /** Initial, refresh (new ETag), modify, remove, then the removed ETag gets 412 (§4). */
  @ParameterizedTest
  @EnumSource(SippTransport.class)
  void lifecycle(SippTransport transport) {
    SippResult r =
        herald.sipp("publish-lifecycle", transport).service("alice").run().assertPassed();
    assertEquals(1, r.received("412"), r.describe());
    herald.await("the removed publication to be gone", s -> s.publications() == 0);
  }

  /**
   * 412, 423 + Min-Expires, 489 + Allow-Events (unknown and missing Event), 415 + Accept, 400
   * malformed PIDF, 404 foreign domain, 405 + Allow, 483 Max-Forwards 0.
   */
  @Test
  void errors() {
    SippResult r =
        herald
            .sipp("publish-errors", SippTransport.UDP)
            .service("alice")
            .key("min_expires", "60")
            .run()
            .assertPassed();
    assertEquals(1, r.received("423"), r.describe());
    assertEquals(0, herald.stats().publications(), "no error left a publication behind");
  }
}
