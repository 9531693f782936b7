package dev.herald.cucm;

import dev.herald.config.TrunkPeer;
import dev.herald.sip.ListenPoint;
import dev.herald.sip.RequestResult;
import dev.herald.sip.ResponseCallback;
import dev.herald.sip.SipMessages;
import dev.herald.sip.SipServer;
import java.text.ParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.sip.InvalidArgumentException;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings trunk peers with out-of-dialog OPTIONS (RFC 3261 §11) through the SIP server, from the
 * first listen point of the peer's transport.
 */
public final class SipOptionsPinger implements OptionsPinger {
  private static final Logger LOG = LoggerFactory.getLogger(SipOptionsPinger.class);

  private final SipServer sip;
  private final String domain;

  /**
   * @param sip the server to send through
   * @param domain Herald's domain, for the From address ({@code sip:herald@domain})
   */
  public SipOptionsPinger(SipServer sip, String domain) {
    this.sip = Objects.requireNonNull(sip, "sip");
    this.domain = Objects.requireNonNull(domain, "domain");
  }

  @Override
  public void ping(TrunkPeer peer, ResponseCallback callback) {
    ListenPoint from = listenPoint(sip.listenPoints(), peer);
    if (from == null) {
      // The configuration's check makes this impossible; say so rather than fail quietly.
      LOG.warn("trunk peer {}: no listen point of its transport to ping from", peer);
      callback.completed(RequestResult.transportError());
      return;
    }
    Request request;
    try {
      request = options(peer, from, domain);
    } catch (ParseException | InvalidArgumentException e) {
      LOG.warn("trunk peer {}: cannot build an OPTIONS: {}", peer, e.toString());
      callback.completed(RequestResult.transportError());
      return;
    }
    sip.send(request, from, callback);
  }

  /** The first listen point whose transport is the peer's; null if there is none. */
  static ListenPoint listenPoint(List<ListenPoint> points, TrunkPeer peer) {
    String transport = peer.transport().name().toLowerCase(Locale.ROOT);
    for (ListenPoint point : points) {
      if (point.transport().equals(transport)) {
        return point;
      }
    }
    return null;
  }

  /**
   * An OPTIONS to the peer's address (Request-URI {@code sip:host:port}, with {@code transport=tcp}
   * over TCP and {@code sips:} over TLS), without Via: the server adds it.
   */
  static Request options(TrunkPeer peer, ListenPoint from, String domain)
      throws ParseException, InvalidArgumentException {
    String host = peer.host().indexOf(':') >= 0 ? "[" + peer.host() + "]" : peer.host();
    SipURI target = SipMessages.ADDRESSES.createSipURI(null, host);
    target.setPort(peer.port());
    switch (peer.transport()) {
      case TLS -> target.setSecure(true);
      case TCP -> target.setTransportParam("tcp");
      case UDP -> {}
    }
    SipURI herald = SipMessages.ADDRESSES.createSipURI("herald", domain);
    FromHeader fromHeader =
        SipMessages.HEADERS.createFromHeader(
            SipMessages.ADDRESSES.createAddress(herald), SipMessages.newTag());
    ToHeader to =
        SipMessages.HEADERS.createToHeader(SipMessages.ADDRESSES.createAddress(target), null);
    CallIdHeader callId = SipMessages.HEADERS.createCallIdHeader(SipMessages.newCallId());
    CSeqHeader cseq = SipMessages.HEADERS.createCSeqHeader(1L, Request.OPTIONS);
    MaxForwardsHeader maxForwards = SipMessages.HEADERS.createMaxForwardsHeader(70);
    Request request =
        SipMessages.MESSAGES.createRequest(
            target,
            Request.OPTIONS,
            callId,
            cseq,
            fromHeader,
            to,
            new java.util.ArrayList<>(),
            maxForwards);
    request.setHeader(SipMessages.contact(from));
    return request;
  }
}
