/**
 * Presence across the XMPP gateway (RFC 8048), the presence engine's side of it: XMPP users who
 * watch Herald's SIP users ({@link dev.herald.xmpp.XmppWatchers}, remote watchers of the engine),
 * and the gateway's one XMPP subscription per XMPP user that SIP users watch ({@link
 * dev.herald.xmpp.XmppContacts}, whose presence becomes the user's state in the engine). {@link
 * dev.herald.xmpp.XmppPresence} routes each {@code <presence/>} stanza to one of them. The mapping
 * itself is im-gateway's ({@code dev.herald.im.presence}); this package holds the state and the
 * wiring to the engine, as {@code dev.herald.cucm} does for CUCM.
 */
package dev.herald.xmpp;
