/**
 * The IM gateway: SIP MESSAGE and SIP presence to and from XMPP, as an XEP-0114 external component.
 * So far: the component connection ({@link dev.herald.im.xmpp}) and the address mapping ({@link
 * dev.herald.im.mapping}); the translation of messages and presence comes later.
 */
package dev.herald.im;
