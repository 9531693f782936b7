/**
 * Addresses between SIP and XMPP (RFC 7247 §4, §5), as pure functions: a SIP user's address of
 * record and the JID XMPP users see for it in the component domain, and an XMPP user's JID and the
 * SIP address SIP users see for it. JID localparts are escaped per XEP-0106. Nothing here does I/O
 * or keeps state beyond the configured domains.
 */
package dev.herald.im.mapping;
