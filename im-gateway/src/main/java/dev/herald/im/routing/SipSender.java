package dev.herald.im.routing;

import dev.herald.sip.ResponseCallback;
import javax.sip.message.Request;

/**
 * Sends a request Herald originates through a new client transaction (a port: sip-stack's {@code
 * SipServer} does it, see {@link SipServerSender}).
 */
@FunctionalInterface
public interface SipSender {

  /** Sends {@code request} (without Via); {@code callback} is told once how it ended. */
  void send(Request request, ResponseCallback callback);
}
