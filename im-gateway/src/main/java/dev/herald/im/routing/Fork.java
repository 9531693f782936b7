package dev.herald.im.routing;

import dev.herald.sip.RequestResult;
import java.util.ArrayList;
import java.util.List;
import javax.sip.message.Request;

/**
 * One MESSAGE sent to every registered device of a user at once, each through its own client
 * transaction, and the one outcome its sender gets: the first 2xx at once, or, when every device
 * has answered with an error (or timed out), the best of them ({@link BestResponse}).
 */
final class Fork {

  /** Told once how the fork ended. */
  @FunctionalInterface
  interface Outcome {
    /**
     * @param status the 2xx or the chosen error status
     * @param reason the chosen response's reason phrase, or what happened when there was none
     */
    void ended(int status, String reason);
  }

  private final Outcome outcome;
  private final List<RequestResult> results = new ArrayList<>();
  private final int branches;
  private boolean ended;

  private Fork(int branches, Outcome outcome) {
    this.branches = branches;
    this.outcome = outcome;
  }

  /** Sends each request; the outcome comes on a JAIN-SIP thread (or this one, on a send error). */
  static void start(SipSender sender, List<Request> requests, Outcome outcome) {
    if (requests.isEmpty()) {
      throw new IllegalArgumentException("a fork needs at least one branch");
    }
    Fork fork = new Fork(requests.size(), outcome);
    for (Request request : requests) {
      sender.send(request, fork::completed);
    }
  }

  private void completed(RequestResult result) {
    int status;
    String reason;
    synchronized (this) {
      if (ended) {
        return;
      }
      results.add(result);
      if (result.isSuccess()) {
        ended = true;
        status = result.status();
        reason = result.response().getReasonPhrase();
      } else if (results.size() == branches) {
        ended = true;
        status = BestResponse.choose(results.stream().map(RequestResult::status).toList());
        reason = reason(status);
      } else {
        return;
      }
    }
    outcome.ended(status, reason);
  }

  /** The reason of the response whose status was chosen, or what happened (caller holds lock). */
  private String reason(int chosen) {
    for (RequestResult r : results) {
      int status = r.status() == 503 && chosen == 500 ? 500 : r.status();
      if (status != chosen) {
        continue;
      }
      return switch (r.kind()) {
        case TIMEOUT -> "Request Timeout (no device answered in time)";
        case TRANSPORT_ERROR ->
            chosen == 500
                ? "Server Internal Error (the device could not be reached)"
                : "the device could not be reached";
        case RESPONSE ->
            r.status() == 503
                ? "Server Internal Error (the device answered 503 "
                    + r.response().getReasonPhrase()
                    + ")"
                : r.response().getReasonPhrase();
      };
    }
    return "";
  }
}
