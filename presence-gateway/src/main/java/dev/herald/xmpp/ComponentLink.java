package dev.herald.xmpp;

import dev.herald.im.xmpp.XmlElement;
import java.time.Duration;

/** What presence needs of the XEP-0114 component connection; thread-safe, never blocks. */
public interface ComponentLink {

  /** Sends a stanza; false, sending nothing, while the connection is not up. */
  boolean send(XmlElement stanza);

  /** Whether stanzas can be sent now. */
  boolean isUp();

  /** How long until the next attempt to connect, for a {@code Retry-After}; zero when up. */
  Duration retryAfter();
}
