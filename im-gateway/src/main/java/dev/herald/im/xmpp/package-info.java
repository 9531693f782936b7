/**
 * The XMPP side of the IM gateway: Herald's XEP-0114 external component connection to an XMPP
 * server ({@link dev.herald.im.xmpp.XmppComponent}), on Apache MINA, with a non-blocking stream
 * parser (Aalto) that hands each complete top-level stanza over as an {@link
 * dev.herald.im.xmpp.XmlElement}.
 */
package dev.herald.im.xmpp;
