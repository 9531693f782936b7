package dev.herald.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OverloadGuardTest {
  private final AtomicLong datagrams = new AtomicLong();
  private final AtomicLong tasks = new AtomicLong();

  private OverloadGuard guard(int maxDatagrams, long maxTasks) {
    return new OverloadGuard(
        new OverloadLimits(maxDatagrams, maxTasks, 5), datagrams::get, tasks::get);
  }

  @Test
  void underTheLimitsNothingIsRefused() {
    OverloadGuard g = guard(100, 1_000);
    datagrams.set(100);
    tasks.set(1_000);

    assertNull(g.refusal());
    assertEquals(0, g.refused());
  }

  @Test
  void aLimitPassedIsTheReason() {
    OverloadGuard g = guard(100, 1_000);
    datagrams.set(101);
    assertEquals("101 datagrams waiting to be parsed", g.refusal());

    datagrams.set(0);
    tasks.set(1_001);
    assertEquals("1001 tasks waiting", g.refusal());
    assertEquals(2, g.refused());

    tasks.set(10);
    assertNull(g.refusal(), "taken again once the load falls");
  }

  @Test
  void zeroTurnsALimitOff() {
    OverloadGuard g = guard(0, 0);
    datagrams.set(1_000_000);
    tasks.set(1_000_000);

    assertNull(g.refusal());
  }

  @Test
  void limitsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new OverloadLimits(-1, 0, 5));
    assertThrows(IllegalArgumentException.class, () -> new OverloadLimits(0, 0, 0));
  }
}
