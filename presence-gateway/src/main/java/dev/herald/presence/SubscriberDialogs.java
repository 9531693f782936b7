package dev.herald.presence;

import javax.sip.message.Request;

/**
 * The subscriptions Herald itself made to another notifier (CUCM, for a user's phone state), as the
 * NOTIFY handler needs them: whether a NOTIFY belongs to one, and where its state goes.
 */
public interface SubscriberDialogs {

  /** Herald subscribes to nobody. */
  SubscriberDialogs NONE =
      new SubscriberDialogs() {
        @Override
        public boolean knows(String callId, String toTag) {
          return false;
        }

        @Override
        public void notified(
            Request notify,
            String state,
            TelephonyDocument document,
            int expires,
            String reason,
            int retryAfter) {}
      };

  /** Whether a NOTIFY with this Call-ID and To tag is in one of Herald's subscriptions. */
  boolean knows(String callId, String toTag);

  /**
   * A NOTIFY in one of them, already answered 200; must not block.
   *
   * @param state the Subscription-State value ({@code active}, {@code pending}, {@code terminated})
   * @param document its state, or null when it has none
   * @param expires the Subscription-State {@code expires}, or -1
   * @param reason the {@code reason} of a terminated one, or null
   * @param retryAfter the {@code retry-after}, or -1
   */
  void notified(
      Request notify,
      String state,
      TelephonyDocument document,
      int expires,
      String reason,
      int retryAfter);
}
