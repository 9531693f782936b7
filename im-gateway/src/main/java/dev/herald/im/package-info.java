/**
 * The IM gateway: SIP MESSAGE and SIP presence to and from XMPP, as an XEP-0114 external component.
 * Only the package skeleton exists so far; the component connection, the stanza codec and the
 * SIP/XMPP mapping arrive with the IM gateway issue.
 */
package dev.herald.im;
