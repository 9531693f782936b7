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
    assertEquals("101 requests waiting to be parsed", g.refusal());

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

  /**
   * A load hovering at the limit flips between refused and taken many times a second; that is one
   * episode (one WARN, one INFO), which ends only after a second without a refusal.
   */
  @Test
  void aLoadHoveringAtTheLimitIsOneEpisodeUntilASecondPassesWithoutRefusal() {
    AtomicLong now = new AtomicLong();
    OverloadGuard g =
        new OverloadGuard(new OverloadLimits(100, 0, 5), datagrams::get, tasks::get, now::get);
    for (int i = 0; i < 50; i++) {
      datagrams.set(i % 2 == 0 ? 101 : 99);
      g.refusal();
      now.addAndGet(10_000_000); // 10 ms
    }
    assertEquals(1, g.episodes());
    assertEquals(25, g.refused());

    datagrams.set(0);
    now.addAndGet(OverloadGuard.CALM_NANOS);
    assertNull(g.refusal(), "a calm second ends the episode");
    datagrams.set(101);
    g.refusal();
    assertEquals(2, g.episodes(), "a refusal after it begins another");
  }

  @Test
  void limitsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new OverloadLimits(-1, 0, 5));
    assertThrows(IllegalArgumentException.class, () -> new OverloadLimits(0, 0, 0));
  }
}
