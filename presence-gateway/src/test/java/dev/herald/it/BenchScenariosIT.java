package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.fixtures.sipp.SippResult;
import dev.herald.fixtures.sipp.SippTransport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The benchmarks' own SIPp scenarios, run small against Herald, so that a change to a scenario or
 * to Herald that breaks one fails here rather than as a wrong figure in a benchmark run.
 */
class BenchScenariosIT {
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
   * subscribe-setup (scripts/bench/compare's subscription-setup rate): every call is one new
   * subscription that gets its 200 and its initial NOTIFY (RFC 6665 §4.1.2.4), and the subscription
   * stays after the call ends.
   */
  @ParameterizedTest
  @EnumSource(SippTransport.class)
  void subscribeSetupLeavesOneSubscriptionPerCall(SippTransport transport) {
    List<String> presentities = List.of("alice", "bob", "carol", "dave");
    int calls = 12;
    List<String> injection = new ArrayList<>(List.of("SEQUENTIAL"));
    for (int i = 0; i < calls; i++) {
      injection.add(presentities.get(i % presentities.size()));
    }
    SippResult result =
        herald
            .sipp("subscribe-setup", transport)
            .key("expires", "3600")
            .injection(injection)
            .calls(calls)
            .rate(calls)
            .limit(calls)
            .run()
            .assertPassed();
    assertEquals(calls, result.received("NOTIFY"), result.describe());
    herald.await(calls + " subscriptions held", s -> s.subscriptions() == calls);
  }
}
