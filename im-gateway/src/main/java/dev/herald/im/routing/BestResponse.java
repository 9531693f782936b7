package dev.herald.im.routing;

import java.util.List;
import java.util.Set;

/**
 * Which of the final responses of a forked request the sender gets, after RFC 3261 §16.7 (a proxy's
 * response context; Herald, a B2BUA, answers its own sender the same way). Pure.
 */
final class BestResponse {

  /** §16.7 step 6: in the 4xx class, responses that let the sender fix and resend come first. */
  private static final Set<Integer> ACTIONABLE = Set.of(401, 407, 415, 420, 484);

  private BestResponse() {}

  /**
   * The status to answer with when every branch ended without a 2xx (a 2xx is answered as soon as
   * it arrives, so it never gets here): a 6xx if any; else the lowest class; in the 4xx class an
   * actionable response first; else the lowest code of the class. A 503 chosen becomes 500 (§16.7
   * step 6): the sender must not think Herald itself is overloaded.
   *
   * @param statuses the branches' final statuses (a timeout is 408, a transport error 503), at
   *     least one
   */
  static int choose(List<Integer> statuses) {
    if (statuses.isEmpty()) {
      throw new IllegalArgumentException("no response to choose from");
    }
    int best = -1;
    for (int status : statuses) {
      if (best < 0 || better(status, best)) {
        best = status;
      }
    }
    return best == 503 ? 500 : best;
  }

  private static boolean better(int a, int b) {
    boolean a6 = a >= 600;
    boolean b6 = b >= 600;
    if (a6 != b6) {
      return a6;
    }
    if (a / 100 != b / 100) {
      return a / 100 < b / 100;
    }
    if (a / 100 == 4 && ACTIONABLE.contains(a) != ACTIONABLE.contains(b)) {
      return ACTIONABLE.contains(a);
    }
    return a < b;
  }
}
