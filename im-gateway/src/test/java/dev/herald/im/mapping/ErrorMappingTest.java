package dev.herald.im.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.herald.im.xmpp.XmlElement;
import dev.herald.im.xmpp.XmppComponent;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 7247 §7: SIP response codes and XMPP error conditions, both directions, as tables. */
class ErrorMappingTest {

  // RFC 7247 §7.2, SIP -> XMPP, with RFC 6120 §8.3.3's error type of each condition.
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      textBlock =
          """
          301, gone,                    cancel
          302, redirect,                modify
          400, bad-request,             modify
          401, not-authorized,          auth
          403, forbidden,               auth
          404, item-not-found,          cancel
          405, feature-not-implemented, cancel
          406, not-acceptable,          modify
          407, registration-required,   auth
          408, remote-server-timeout,   wait
          410, gone,                    cancel
          413, policy-violation,        modify
          415, not-acceptable,          modify
          416, jid-malformed,           modify
          480, recipient-unavailable,   wait
          481, item-not-found,          cancel
          484, item-not-found,          cancel
          486, recipient-unavailable,   wait
          488, not-acceptable,          modify
          491, unexpected-request,      wait
          500, internal-server-error,   wait
          501, feature-not-implemented, cancel
          502, remote-server-not-found, cancel
          503, service-unavailable,     cancel
          504, remote-server-timeout,   wait
          513, policy-violation,        modify
          600, service-unavailable,     cancel
          603, service-unavailable,     cancel
          604, item-not-found,          cancel
          606, not-acceptable,          modify
          """)
  void sipStatusToXmppCondition(int status, String condition, String type) {
    StanzaError error = SipToXmpp.error(status, "why");

    assertEquals(new StanzaError(condition, type, "why"), error);
  }

  /** Codes the table does not list get their class's most general condition. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "399, redirect",
    "422, bad-request",
    "599, internal-server-error",
    "699, service-unavailable"
  })
  void unlistedCodesFallBackToTheirClass(int status, String condition) {
    assertEquals(condition, SipToXmpp.error(status, "").condition());
  }

  @Test
  void successIsNotAnError() {
    assertThrows(IllegalArgumentException.class, () -> SipToXmpp.error(200, ""));
    assertThrows(IllegalArgumentException.class, () -> SipToXmpp.error(700, ""));
  }

  // RFC 7247 §7.1, XMPP -> SIP.
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      textBlock =
          """
          bad-request,             400
          conflict,                400
          feature-not-implemented, 405
          forbidden,               403
          gone,                    410
          internal-server-error,   500
          item-not-found,          404
          jid-malformed,           400
          not-acceptable,          406
          not-allowed,             403
          not-authorized,          401
          policy-violation,        403
          recipient-unavailable,   480
          redirect,                302
          registration-required,   400
          remote-server-not-found, 404
          remote-server-timeout,   408
          resource-constraint,     500
          service-unavailable,     503
          subscription-required,   400
          undefined-condition,     400
          unexpected-request,      400
          some-future-condition,   400
          """)
  void xmppConditionToSipStatus(String condition, int status) {
    assertEquals(status, XmppToSip.status(condition));
  }

  /**
   * SIP -> XMPP -> SIP gives the code back except where a condition stands for several codes. The
   * deliberately lossy cases, by name.
   */
  @Test
  void roundTripKeepsTheCodeExceptTheListedLossyOnes() {
    Set<Integer> lossy =
        Set.of(
            301, // gone -> 410
            402, // bad-request -> 400
            413, 433, 489, 513, // policy-violation -> 403
            414, 416, // jid-malformed -> 400
            415, 421, 482, 483, 488, 505, 606, // not-acceptable -> 406
            420, 501, // feature-not-implemented -> 405
            423, // resource-constraint -> 500
            430, 486, // recipient-unavailable -> 480
            481, 484, 485, 604, // item-not-found -> 404
            487, 600, 603, // service-unavailable -> 503
            491, // unexpected-request -> 400
            493, // bad-request -> 400
            494, // not-authorized -> 401
            502, // remote-server-not-found -> 404
            504, // remote-server-timeout -> 408
            407, // registration-required -> 400
            300, 305, 380); // redirect -> 302
    for (int status :
        new int[] {
          300, 301, 302, 305, 380, 400, 401, 402, 403, 404, 405, 406, 407, 408, 410, 413, 414, 415,
          416, 420, 421, 423, 430, 433, 480, 481, 482, 483, 484, 485, 486, 487, 488, 489, 491, 493,
          494, 500, 501, 502, 503, 504, 505, 513, 600, 603, 604, 606
        }) {
      int back = XmppToSip.status(SipToXmpp.error(status, "").condition());
      if (lossy.contains(status)) {
        assertEquals(true, back != status, status + " is listed as lossy but comes back");
      } else {
        assertEquals(status, back, "round trip of " + status);
      }
    }
  }

  @Test
  void anErrorStanzaIsReadBackAsItsConditionTypeAndText() {
    XmlElement original =
        XmlElement.builder("message", XmppComponent.NAMESPACE)
            .attribute("from", "alice@sip.herald.test")
            .attribute("to", "bob@xmpp.herald.test")
            .attribute("id", "m1")
            .build();
    XmlElement reply =
        SipToXmpp.errorReply(
            original, new StanzaError("recipient-unavailable", "wait", "bob is away"));

    assertEquals("bob@xmpp.herald.test", reply.attribute("from").orElseThrow());
    assertEquals("alice@sip.herald.test", reply.attribute("to").orElseThrow());
    assertEquals("m1", reply.attribute("id").orElseThrow());
    assertEquals("error", reply.attribute("type").orElseThrow());
    assertEquals(
        new StanzaError("recipient-unavailable", "wait", "bob is away"), XmppToSip.error(reply));
  }

  @Test
  void anErrorStanzaWithoutADefinedConditionIsUndefined() {
    XmlElement stanza =
        XmlElement.builder("message", XmppComponent.NAMESPACE)
            .attribute("type", "error")
            .child(
                XmlElement.builder("error", XmppComponent.NAMESPACE)
                    .attribute("type", "modify")
                    .child(XmlElement.builder("custom", "urn:example").build())
                    .build())
            .build();

    assertEquals(new StanzaError("undefined-condition", "modify", ""), XmppToSip.error(stanza));
  }
}
