/**
 * Presence across the gateway (RFC 8048, RFC 4480): what a PIDF document says as an XMPP {@code
 * <presence/>} and back, as pure functions with table tests. {@link
 * dev.herald.im.presence.PresenceInfo} is the common ground: available or not, the {@code <show/>},
 * the status text and the priority. RFC 8048 §6 maps only availability; the show values and the
 * priority are Herald's table (see the README), keeping away, xa, dnd and chat distinct.
 */
package dev.herald.im.presence;
