package dev.herald.presence;

import dev.herald.sip.ListenPoint;
import dev.herald.sip.ResponseCallback;
import javax.sip.message.Request;

/** Where the engine's NOTIFYs go: the SIP server in production, a recorder in tests. */
@FunctionalInterface
public interface NotifyTransport {
  void send(Request request, ListenPoint from, ResponseCallback callback);
}
