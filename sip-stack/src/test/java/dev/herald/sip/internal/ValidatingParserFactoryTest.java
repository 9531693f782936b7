package dev.herald.sip.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The parser factory on its own, fed bytes as a channel would, with a recording listener. */
class ValidatingParserFactoryTest {

  /**
   * Fuzzing finding (SipIntakeFuzzIT): a header line without a colon reaches the parse listener
   * with no header class, and the factory's wrapper threw NullPointerException on it, so JAIN-SIP
   * dropped the request unanswered. It now goes to the channel's listener like any bad header, is
   * kept as unparsed, and MessageValidation answers 400 naming it.
   */
  @Test
  void aHeaderLineWithoutAColonIsHandedOnNotThrown() throws Exception {
    String request =
        "OPTIONS sip:herald.test SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-1\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:a@herald.test>;tag=1\r\n"
            + "To: <sip:herald.test>\r\n"
            + "Call-ID: colonless\r\n"
            + "CSeq: 1 OPTIONS\r\n"
            + "1\r\n"
            + "Content-Length: 0\r\n\r\n";
    List<String> handedOn = new ArrayList<>();
    MessageParser parser = new ValidatingParserFactory().createMessageParser(null);

    SIPMessage message =
        parser.parseSIPMessage(
            request.getBytes(StandardCharsets.UTF_8),
            true,
            false,
            (ex, msg, headerClass, header, raw) -> {
              handedOn.add(header);
              msg.addUnparsed(header); // what JAIN-SIP's channels do with a header they skip
            });

    assertNotNull(message);
    assertEquals(List.of("1"), handedOn);
    assertTrue(
        MessageValidation.check((SIPRequest) message).isPresent(),
        "the unparsed line gets its 400");
  }

  /**
   * Fuzzing finding (SipIntakeFuzzIT, crash-5cc6…): a datagram that starts with a header line
   * ("\nCall-ID: ...") does not parse, and JAIN-SIP's UDP channel then threw
   * StringIndexOutOfBoundsException building its 400 from it. It has no start line, so it is no
   * request: the parser drops it (null) instead of throwing.
   */
  @ParameterizedTest
  @ValueSource(strings = {"\nCall-ID: x\r\n", "Via: SIP/2.0/UDP a\r\n", "xTo: <sip:a@b>\r\n"})
  void aMessageThatStartsWithAHeaderIsDropped(String start) throws Exception {
    byte[] bytes = (start + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n").getBytes(UTF_8);
    MessageParser parser = new ValidatingParserFactory().createMessageParser(null);

    assertNull(
        parser.parseSIPMessage(
            bytes,
            true,
            false,
            (ex, msg, c, header, raw) -> {
              throw ex;
            }));
  }

  @Test
  void aMessageWithAStartLineThatDoesNotParseStillFails() {
    byte[] bytes = "OPTIONS sip:a@b SIP/2.0\r\nCSeq: x\r\n\r\n".getBytes(UTF_8);
    MessageParser parser = new ValidatingParserFactory().createMessageParser(null);

    assertThrows(
        ParseException.class,
        () ->
            parser.parseSIPMessage(
                bytes,
                true,
                false,
                (ex, msg, c, header, raw) -> {
                  throw ex;
                }));
  }

  /**
   * Fuzzing finding (SipIntakeFuzzIT, crash-cabc…): "ViaINVITE sip:... SIP/2.0" parses, its CSeq
   * method does not match, and JAIN-SIP's 400 builder threw on the "Via" at offset 0. The factory
   * answers it itself (statelessly, with the reason) and hands JAIN-SIP nothing.
   */
  @Test
  void aMethodThatBreaksJainSipsBadRequestIsAnsweredHere() throws Exception {
    byte[] bytes =
        ("ViaINVITE sip:user@herald.test SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-2\r\n"
                + "From: <sip:a@herald.test>;tag=1\r\n"
                + "To: <sip:user@herald.test>\r\n"
                + "Call-ID: via-invite\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Content-Length: 0\r\n\r\n")
            .getBytes(UTF_8);
    MessageParser parser = new ValidatingParserFactory().createMessageParser(null);

    assertNull(
        parser.parseSIPMessage(
            bytes,
            true,
            false,
            (ex, msg, c, header, raw) -> {
              throw ex;
            }));
  }

  private static String request2543(String method, String branch, String toTag, int cseq) {
    return method
        + " sip:alice@herald.test SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:5062"
        + (branch == null ? "" : ";branch=" + branch)
        + "\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:bob@herald.test>;tag=f1\r\n"
        + "To: <sip:alice@herald.test>"
        + (toTag == null ? "" : ";tag=" + toTag)
        + "\r\n"
        + "Call-ID: old-style\r\n"
        + "CSeq: "
        + cseq
        + " "
        + method
        + "\r\n"
        + "Content-Length: 0\r\n\r\n";
  }

  private static String branchOf(String request) throws ParseException {
    MessageParser parser = new ValidatingParserFactory().createMessageParser(null);
    SIPRequest parsed =
        (SIPRequest) parser.parseSIPMessage(request.getBytes(UTF_8), true, false, null);
    return parsed.getTopmostVia().getBranch();
  }

  /**
   * Fuzzing finding (SipIntakeFuzzIT): a request without an RFC 3261 branch was matched by JAIN-SIP
   * against every server transaction, and one that had released its request threw
   * NullPointerException, so the request was dropped unanswered. It now gets a magic-cookie branch
   * derived from what RFC 3261 §17.2.3 matches old-style requests by: equal for a retransmission
   * and for the ACK (which adds a To tag) and the CANCEL of the same request, different otherwise.
   */
  @Test
  void aRequestWithoutAnRfc3261BranchGetsADeterministicOne() throws Exception {
    String invite = branchOf(request2543("INVITE", null, null, 1));

    assertTrue(invite.startsWith("z9hG4bK"), invite);
    assertEquals(invite, branchOf(request2543("INVITE", null, null, 1)), "retransmission");
    assertEquals(invite, branchOf(request2543("ACK", null, "t9", 1)), "ACK of a final response");
    assertEquals(invite, branchOf(request2543("CANCEL", null, null, 1)), "CANCEL");
    assertTrue(!invite.equals(branchOf(request2543("INVITE", null, null, 2))), "next CSeq");
    String old = branchOf(request2543("OPTIONS", "1234", null, 1));
    assertTrue(old.startsWith("z9hG4bK"), old);
    assertTrue(
        !old.equals(branchOf(request2543("OPTIONS", "5678", null, 1))),
        "an old-style branch still tells requests apart");
  }

  @Test
  void anRfc3261BranchIsKept() throws Exception {
    assertEquals("z9hG4bK-74b", branchOf(request2543("OPTIONS", "z9hG4bK-74b", null, 1)));
    assertEquals("Z9HG4BK-74b", branchOf(request2543("OPTIONS", "Z9HG4BK-74b", null, 1)));
  }

  /**
   * Fuzzing finding (CI fuzz step, SipIntakeFuzzIT crash-3b96…): JAIN-SIP's Server header parser
   * threw StringIndexOutOfBoundsException, which the UDP channel logged at ERROR. Now a
   * ParseException naming the problem: a request gets its 400, a response is dropped quietly.
   */
  @Test
  void anUncheckedExceptionFromAHeaderParserIsAParseException() {
    String request =
        "OPTIONS sip:herald.test SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-srv\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:a@herald.test>;tag=1\r\n"
            + "To: <sip:herald.test>\r\n"
            + "Call-ID: server-header\r\n"
            + "CSeq: 1 OPTIONS\r\n"
            + "Server: TOPIONS soap.beep://192.0.2.103:3002 SIP/2.0\r\n"
            + "Content-Length: 0\r\n\r\n";
    MessageParser parser = new ValidatingParserFactory().createMessageParser(null);

    ParseException e =
        assertThrows(
            ParseException.class,
            () ->
                parser.parseSIPMessage(
                    request.getBytes(UTF_8),
                    true,
                    false,
                    (ex, msg, headerClass, header, raw) -> {
                      throw ex;
                    }));
    assertEquals("a header the parser could not read", e.getMessage());
  }
}
