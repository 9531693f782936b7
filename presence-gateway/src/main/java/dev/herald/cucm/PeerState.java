package dev.herald.cucm;

/** Whether Herald may route to a trunk peer, as its OPTIONS pings say. */
public enum PeerState {
  /** Not pinged yet, or its first ping is still unanswered; Herald does not route to it. */
  UNKNOWN,
  /** Its last ping got a response other than 408 or 503. */
  IN_SERVICE,
  /** Its last ping got no answer in time, 408 or 503, or could not be sent. */
  OUT_OF_SERVICE
}
