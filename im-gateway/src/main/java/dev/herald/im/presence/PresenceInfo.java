package dev.herald.im.presence;

import java.util.Objects;

/**
 * What both sides can say about one entity's presence: the common ground of a PIDF document with
 * RPID (RFC 3863, RFC 4480) and an XMPP {@code <presence/>} (RFC 6121 §4.7).
 *
 * @param available PIDF {@code <basic>open</basic>}; XMPP available (no {@code type})
 * @param show the {@code <show/>} of an available entity; {@link Show#NONE} when unavailable
 * @param status the PIDF note, the XMPP {@code <status/>}; empty when there is none
 * @param priority the XMPP {@code <priority/>}, -128..127 (RFC 6121 §4.7.2.3); 0 when absent
 */
public record PresenceInfo(boolean available, Show show, String status, int priority) {

  /** Unavailable, with nothing more to say. */
  public static final PresenceInfo UNAVAILABLE = new PresenceInfo(false, Show.NONE, "", 0);

  public PresenceInfo {
    Objects.requireNonNull(show, "show");
    Objects.requireNonNull(status, "status");
    if (priority < -128 || priority > 127) {
      throw new IllegalArgumentException("priority must be -128..127, was " + priority);
    }
    if (!available) {
      show = Show.NONE;
    }
  }

  /** Unavailable with a status text, such as why the state is not known. */
  public static PresenceInfo unavailable(String status) {
    return new PresenceInfo(false, Show.NONE, status, 0);
  }
}
