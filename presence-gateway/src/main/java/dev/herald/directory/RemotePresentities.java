package dev.herald.directory;

import dev.herald.sip.Rejection;

/**
 * Presentities that are not Herald's users but can be watched through a gateway: the XMPP users of
 * the IM gateway's paired domain (RFC 8048 §5), who appear to SIP as addresses of Herald's domain.
 * Asked on SIP threads, for addresses the directory does not know.
 */
public interface RemotePresentities {

  /** No gateway: every unknown address is unknown. */
  RemotePresentities NONE =
      new RemotePresentities() {
        @Override
        public boolean serves(String address) {
          return false;
        }

        @Override
        public Rejection unavailable(String address) {
          return null;
        }
      };

  /** Whether {@code address}, which no user of the directory has, is a user across a gateway. */
  boolean serves(String address);

  /**
   * Null when a watcher of {@code address} can be served now; else the answer, such as 503 with
   * {@code Retry-After} while the gateway's connection is down.
   */
  Rejection unavailable(String address);
}
