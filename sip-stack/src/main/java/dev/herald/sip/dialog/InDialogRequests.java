package dev.herald.sip.dialog;

import dev.herald.sip.ListenPoint;
import dev.herald.sip.SipMessages;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import javax.sip.InvalidArgumentException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;

/** Builds a request inside a dialog (RFC 3261 §12.2.1.1), for both kinds of subscription dialog. */
final class InDialogRequests {
  private InDialogRequests() {}

  /**
   * A request with the remote target as Request-URI and Route per the route set (a strict first
   * router becomes the Request-URI, the remote target the last Route), Max-Forwards 70 and the
   * listen point as Contact. The Via is added when it is sent.
   */
  static Request build(
      String method,
      String callId,
      long cseq,
      FromHeader from,
      ToHeader to,
      String remoteTarget,
      List<String> routeSet,
      ListenPoint listenPoint)
      throws ParseException, InvalidArgumentException {
    URI requestUri = SipMessages.ADDRESSES.createURI(remoteTarget);
    List<Address> routes = new ArrayList<>(routeSet.size() + 1);
    for (String route : routeSet) {
      routes.add(SipMessages.ADDRESSES.createAddress(route));
    }
    if (!routes.isEmpty()
        && routes.get(0).getURI() instanceof SipURI first
        && !first.hasLrParam()) {
      routes.remove(0);
      routes.add(SipMessages.ADDRESSES.createAddress(requestUri));
      requestUri = first;
    }
    Request request =
        SipMessages.MESSAGES.createRequest(
            requestUri,
            method,
            SipMessages.HEADERS.createCallIdHeader(callId),
            SipMessages.HEADERS.createCSeqHeader(cseq, method),
            from,
            to,
            new ArrayList<>(),
            SipMessages.HEADERS.createMaxForwardsHeader(70));
    for (Address route : routes) {
      request.addHeader(SipMessages.HEADERS.createRouteHeader(route));
    }
    request.setHeader(SipMessages.contact(listenPoint));
    return request;
  }
}
