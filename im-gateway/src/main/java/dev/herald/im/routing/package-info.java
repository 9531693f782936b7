/**
 * IM routing (RFC 3428 pager-mode MESSAGE, RFC 7572 to and from XMPP): {@link
 * dev.herald.im.routing.ImRouter} decides where a message goes (a local user's devices, an XMPP
 * user, or an error) and carries failures back to the sender. It declares the ports it needs from
 * the rest of Herald: {@link dev.herald.im.routing.SipUsers} (directory and registrar), {@link
 * dev.herald.im.routing.SipSender} (client transactions), {@link dev.herald.im.routing.Lanes} and
 * {@link dev.herald.im.routing.Timers}.
 */
package dev.herald.im.routing;
