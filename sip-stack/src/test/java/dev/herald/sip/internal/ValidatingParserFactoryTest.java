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
}
