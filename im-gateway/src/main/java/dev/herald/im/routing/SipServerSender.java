package dev.herald.im.routing;

import dev.herald.sip.ListenPoint;
import dev.herald.sip.RequestResult;
import dev.herald.sip.ResponseCallback;
import dev.herald.sip.SipServer;
import java.util.Locale;
import javax.sip.address.SipURI;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends through sip-stack's {@link SipServer}, from the first listen point of the transport the
 * Request-URI asks for ({@code transport=tcp}, {@code sips:} for TLS, UDP otherwise).
 */
public final class SipServerSender implements SipSender {
  private static final Logger LOG = LoggerFactory.getLogger(SipServerSender.class);

  private final SipServer sip;

  public SipServerSender(SipServer sip) {
    this.sip = sip;
  }

  @Override
  public void send(Request request, ResponseCallback callback) {
    String transport = transport(request);
    for (ListenPoint point : sip.listenPoints()) {
      if (point.transport().equals(transport)) {
        sip.send(request, point, callback);
        return;
      }
    }
    LOG.warn(
        "cannot send {} to {}: Herald has no {} listener",
        request.getMethod(),
        request.getRequestURI(),
        transport);
    callback.completed(RequestResult.transportError());
  }

  static String transport(Request request) {
    if (request.getRequestURI() instanceof SipURI uri) {
      if (uri.isSecure()) {
        return "tls";
      }
      String t = uri.getTransportParam();
      if (t != null) {
        return t.toLowerCase(Locale.ROOT);
      }
    }
    return "udp";
  }
}
