package dev.herald.presence;

/**
 * Says whether a request is a trunk's telephony presence: it comes from a trunk peer, and the trunk
 * is the telephony source of the presentity ({@code trunks[].telephony-source}).
 */
@FunctionalInterface
public interface TelephonySources {

  /** No trunk: nothing is telephony presence. */
  TelephonySources NONE = (sourceAddress, presentity) -> false;

  /**
   * @param sourceAddress the IP literal the request came from
   * @param presentity {@code sip:user@host}, host lower-case
   */
  boolean isTelephony(String sourceAddress, String presentity);
}
