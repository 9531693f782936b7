package dev.herald.presence;

import dev.herald.sip.ListenPoint;
import dev.herald.sip.ResponseCallback;
import dev.herald.sip.dialog.NotifyRequest;
import javax.sip.message.Request;

/** Where the engine's NOTIFYs go: the SIP server in production, a recorder in tests. */
@FunctionalInterface
public interface NotifyTransport {
  void send(Request request, ListenPoint from, ResponseCallback callback);

  /**
   * Sends a NOTIFY of a subscription dialog. The SIP server writes it as text when it can; by
   * default it is built as a JAIN-SIP request and handed to {@link #send(Request, ListenPoint,
   * ResponseCallback)}.
   *
   * @throws IllegalStateException if it cannot be built (a bug: every part was parsed before)
   */
  default void send(NotifyRequest notify, ResponseCallback callback) {
    Request request;
    try {
      request = notify.toRequest();
    } catch (java.text.ParseException | javax.sip.InvalidArgumentException e) {
      throw new IllegalStateException("cannot build " + notify, e);
    }
    send(request, notify.listenPoint(), callback);
  }
}
