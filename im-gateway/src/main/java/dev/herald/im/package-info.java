/**
 * The IM gateway: SIP MESSAGE and SIP presence to and from XMPP, as an XEP-0114 external component.
 * So far: the component connection ({@link dev.herald.im.xmpp}), the address, message and error
 * mapping ({@link dev.herald.im.mapping}) and message routing ({@link dev.herald.im.routing});
 * presence translation comes later.
 */
package dev.herald.im;
