package dev.herald.presence;

import dev.herald.sip.ListenPoint;
import javax.sip.message.Request;

/**
 * A SUBSCRIBE as the engine sees it (RFC 6665 §4.2.1).
 *
 * @param resource the presentity and package (for a refresh, the one of the existing dialog)
 * @param event the Event header value, echoed in every NOTIFY
 * @param contentType the NOTIFY body type chosen from the watcher's Accept
 * @param expires the Expires value asked for, or null when absent
 * @param request the SIP request, for the dialog it creates or refreshes
 * @param listenPoint the socket it came in on; NOTIFYs leave from it
 * @param watcher the address the watcher is authorized as (RFC 3856 §6.6.2): the authenticated
 *     user's address, or the From URI of a trusted peer's request; a refresh keeps the one of its
 *     subscription
 * @param ciscoClient whether the watcher's Accept lists {@code application/cpim-pidf+xml}, as Cisco
 *     phones and Jabber do: its presence documents then also carry Cisco's person element
 */
public record SubscribeRequest(
    Resource resource,
    String event,
    String contentType,
    Integer expires,
    Request request,
    ListenPoint listenPoint,
    String watcher,
    boolean ciscoClient) {

  /** A request from a watcher that is not a Cisco client. */
  public SubscribeRequest(
      Resource resource,
      String event,
      String contentType,
      Integer expires,
      Request request,
      ListenPoint listenPoint,
      String watcher) {
    this(resource, event, contentType, expires, request, listenPoint, watcher, false);
  }
}
