/**
 * Herald's SIP layer: the only code that touches JAIN-SIP's stack, providers, transactions and
 * dialogs. Other modules register {@link dev.herald.sip.RequestHandler}s for methods, answer
 * through {@link dev.herald.sip.IncomingRequest}, and send requests through {@link
 * dev.herald.sip.SipServer#send}. They may read JAIN-SIP message and header value types.
 */
package dev.herald.sip;
