package dev.herald.cucm;

import dev.herald.presence.TelephonyDocument;

/**
 * Where the phone state that back-end subscriptions learn goes: the presence engine, as the user's
 * telephony presence. Called on the back-end subscriptions' thread; must not block.
 */
public interface PhoneStateSink {

  /**
   * The user's phone state as CUCM notified it.
   *
   * @param document the state, or null to remove the one kept
   * @param expires seconds it stays; 0 removes it
   */
  void state(String presentity, TelephonyDocument document, int expires);

  /**
   * The last state is too old to show: replace it with a {@code closed} tuple carrying {@code
   * note}, until CUCM notifies again.
   */
  void unknown(String presentity, String note);
}
