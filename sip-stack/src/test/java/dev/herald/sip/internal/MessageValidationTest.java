package dev.herald.sip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.sip.Rejection;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One test (or table) per rule of {@link MessageValidation}, on real parsed messages. */
class MessageValidationTest {

  /** Like JAIN-SIP's channels: a required header that fails to parse fails the message. */
  private static final ParseExceptionListener CHANNEL_LIKE =
      (ex, message, headerClass, header, raw) -> {
        if (headerClass != null
            && headerClass.getName().matches(".*\\.(From|To|CSeq|Via|CallID|ContentLength)")) {
          throw ex;
        }
        message.addUnparsed(header);
      };

  private static final String OPTIONS =
      """
      OPTIONS sip:herald.test SIP/2.0\r
      Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r
      Max-Forwards: 70\r
      From: "Alice A." <sip:alice@herald.test>;tag=1\r
      To: Bob <sip:bob@herald.test>\r
      Call-ID: c1\r
      CSeq: 1 OPTIONS\r
      Contact: "Alice, at home" <sip:alice@127.0.0.1:5070>, <sip:alice@127.0.0.1:5071>\r
      Content-Length: 0\r
      \r
      """;

  /** {@code text} parsed as Herald's stack parses it, then checked as the listener checks it. */
  private static Optional<Rejection> verdict(String text) throws ParseException {
    SIPMessage m =
        new ValidatingParserFactory()
            .createMessageParser(null)
            .parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false, CHANNEL_LIKE);
    return MessageValidation.check((SIPRequest) m);
  }

  private static void assertRejected(int status, String reasonPart, String text)
      throws ParseException {
    Optional<Rejection> r = verdict(text);
    assertTrue(r.isPresent(), "not rejected:\n" + text);
    assertEquals(status, r.get().status(), r.get().reason());
    assertTrue(r.get().reason().contains(reasonPart), r.get().reason());
  }

  @Test
  void aWellFormedRequestPasses() throws ParseException {
    assertEquals(Optional.empty(), verdict(OPTIONS));
  }

  @Test
  void aRequestOverTcpWithBareLineFeedsPasses() {
    // JAIN-SIP's TCP reader hands the header section over with LF line ends.
    byte[] lf = OPTIONS.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8);
    assertEquals(Optional.empty(), MessageValidation.inspect(lf));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "two spaces after the method (RFC 4475 §3.1.2.9)|OPTIONS  sip:herald.test SIP/2.0",
        "space at the end (RFC 4475 §3.1.2.10)|'OPTIONS sip:herald.test SIP/2.0 '",
        "tab as separator|OPTIONS\tsip:herald.test SIP/2.0",
      })
  void requestLineNeedsSingleSpaces(String what, String line) throws ParseException {
    assertRejected(400, "single spaces", OPTIONS.replace("OPTIONS sip:herald.test SIP/2.0", line));
  }

  @Test
  void anotherSipVersionGets505() throws ParseException {
    assertRejected(
        505,
        "Version Not Supported (SIP/7.0)",
        OPTIONS.replace("sip:herald.test SIP/2.0", "sip:herald.test SIP/7.0"));
  }

  @Test
  void anUnbracketedIpv6RequestUriIsRejected() throws ParseException {
    // RFC 5118 §4.3: sip:2001:db8::10 reads as host 2001, port db8::10.
    assertRejected(400, "in brackets", OPTIONS.replace("sip:herald.test", "sip:2001:db8::10"));
  }

  @Test
  void aMalformedIpv6RequestUriIsRejected() throws ParseException {
    // RFC 5118 §4.4: the RFC 3261 ABNF bug allowed three colons.
    assertRejected(
        400, "malformed IPv6", OPTIONS.replace("sip:herald.test", "sip:u@[2001:db8:::192.0.2.1]"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "2001:db8::10, true",
    "2001:db8::192.0.2.1, true",
    "::ffff:192.0.2.10, true",
    "::1, true",
    "1:2:3:4:5:6:7:8, true",
    "2001:db8:::192.0.2.1, false",
    "1::2::3, false",
    "1:2:3:4:5:6:7:8:9, false",
    "2001:db8::g, false",
    "2001:db8::300.1.1.1, false",
    "':1:2:3:4:5:6:7', false",
  })
  void ipv6Literals(String literal, boolean valid) {
    assertEquals(valid, MessageValidation.isIpv6(literal));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "To|To: <sip:carol@herald.test>",
        "Call-ID|i: c2",
        "Content-Length|l: 5",
        "CSeq|CSeq: 2 OPTIONS",
        "Max-Forwards|Max-Forwards: 5",
      })
  void aSingleValueHeaderMayAppearOnce(String name, String extra) throws ParseException {
    // RFC 4475 §3.3.8, §3.3.9: JAIN-SIP keeps one of them silently.
    assertRejected(
        400,
        "more than one " + name,
        OPTIONS.replace("Content-Length: 0\r\n", extra + "\r\nContent-Length: 0\r\n"));
  }

  /**
   * Fuzzing finding: JAIN-SIP read {@code <sidb8lice@127.0.0.1:34486;trapnsort=UDP>} as a URI of
   * scheme "sidb8lice@127.0.0.1", the registrar stored it, and could not parse it back when it
   * listed the bindings (every later REGISTER of that user failed). RFC 3261 §25.1: scheme = ALPHA
   * *( ALPHA / DIGIT / "+" / "-" / "." ).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Contact|<sidb8lice@127.0.0.1:34486;trapnsort=UDP>|Contact URI scheme",
        "To|<s%69p:bob@herald.test>|To URI scheme",
        "From|<1sip:alice@herald.test>;tag=1|From URI scheme",
        "Record-Route|<si_p:proxy.herald.test;lr>|Record-Route URI scheme",
        "Contact|<sip:alice@127.0.0.1:579744>|Contact URI port 579744 is out of range",
        "Route|<sip:127.0.0.1:65536;lr>|Route URI port 65536 is out of range",
      })
  void aUriSchemeOutsideTheGrammarOrAPortOutOfRangeIsRejected(
      String header, String value, String reasonPart) throws ParseException {
    String text =
        OPTIONS
            .lines()
            .filter(l -> !l.startsWith(header + ":"))
            .map(l -> l.startsWith("Call-ID:") ? l + "\r\n" + header + ": " + value : l)
            .collect(java.util.stream.Collectors.joining("\r\n", "", "\r\n"));
    assertRejected(400, reasonPart, text);
  }

  @Test
  void otherUriSchemesInTheGrammarPass() throws ParseException {
    assertEquals(
        Optional.empty(),
        verdict(
            OPTIONS.replace(
                "<sip:alice@127.0.0.1:5071>", "<tel:+1-201-555-0123>, <urn:x-herald.test+1:a>")));
  }

  @Test
  void spacesInsideAngleBracketsAreRejected() throws ParseException {
    // RFC 4475 §3.1.2.14
    assertRejected(
        400,
        "spaces within the addr-spec of To",
        OPTIONS.replace("<sip:bob@herald.test>", "< sip:bob@herald.test >"));
  }

  @Test
  void anUnquotedDisplayNameMustBeTokens() throws ParseException {
    // RFC 4475 §3.1.2.15: in To and From a comma cannot separate values.
    assertRejected(
        400,
        "display name of From",
        OPTIONS.replace("\"Alice A.\" <sip:alice", "Alice, A. <sip:alice"));
  }

  /**
   * A display name of 5,000 words, which JAIN-SIP parses: the regular expression that once checked
   * display names recursed per word and threw StackOverflowError out of the parser.
   */
  @Test
  void aLongUnquotedDisplayNameIsChecked() throws ParseException {
    String name = "A. ".repeat(5_000);
    assertEquals(
        Optional.empty(), verdict(OPTIONS.replace("\"Alice A.\" <sip:alice", name + "<sip:alice")));
    assertRejected(
        400,
        "display name of From",
        OPTIONS.replace("\"Alice A.\" <sip:alice", name + ", <sip:alice"));
  }

  @Test
  void aFoldedHeaderIsCheckedWhole() throws ParseException {
    assertRejected(
        400,
        "spaces within the addr-spec of To",
        OPTIONS.replace("To: Bob <sip:bob@herald.test>", "To: Bob\r\n <sip:bob@herald.test >"));
  }

  @Test
  void headersInTheRequestUriAreRejected() throws ParseException {
    // RFC 4475 §3.1.2.11, RFC 3261 §19.1.5
    assertRejected(
        400,
        "Request-URI must not carry headers",
        OPTIONS.replace("sip:herald.test SIP", "sip:herald.test?Route=%3Csip:example.com%3E SIP"));
  }

  @Test
  void anAddrSpecWithHeadersNeedsAngleBrackets() throws ParseException {
    // RFC 4475 §3.1.2.13
    assertRejected(
        400,
        "Contact URI with headers must be enclosed in <>",
        OPTIONS.replace(
            "Contact: \"Alice, at home\" <sip:alice@127.0.0.1:5070>, <sip:alice@127.0.0.1:5071>",
            "Contact: sip:alice@herald.test?Route=%3Csip:sip.example.com%3E"));
  }

  @Test
  void aHeaderJainSipCouldNotParseIsNamed() throws ParseException {
    // RFC 4475 §3.1.2.12: JAIN-SIP keeps an unparsable Date aside as text.
    assertRejected(
        400,
        "malformed Date header",
        OPTIONS.replace(
            "Call-ID: c1\r\n", "Call-ID: c1\r\nDate: Fri, 01 Jan 2010 16:00:00 EST\r\n"));
  }

  @Test
  void aCseqMethodThatDoesNotMatchFailsTheParseWithANamedReason() {
    // RFC 4475 §3.1.2.17: JAIN-SIP's own 400 for this says only "Bad request".
    ParseException e =
        assertThrows(
            ParseException.class,
            () -> verdict(OPTIONS.replace("CSeq: 1 OPTIONS", "CSeq: 1 INVITE")));
    assertEquals("CSeq method INVITE does not match OPTIONS", e.getMessage());
  }

  @Test
  void aRequiredHeaderThatFailsToParseIsNamed() {
    // RFC 4475 §3.1.2.1: JAIN-SIP's own message here is "[C@1d9c5402\nID expected".
    ParseException e =
        assertThrows(
            ParseException.class,
            () ->
                verdict(
                    OPTIONS.replace(
                        "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1",
                        "Via: SIP/2.0/UDP 192.0.2.15;;,;,,")));
    assertEquals("malformed Via header", e.getMessage());
  }

  @Test
  void aContentLengthLargerThanTheDatagramIsSaidInWords() {
    // RFC 4475 §3.1.2.2: JAIN-SIP's own message is "Invalid content length 4 / 9999".
    ParseException e =
        assertThrows(
            ParseException.class,
            () ->
                verdict(
                    OPTIONS.replace(
                        "Content-Length: 0\r\n\r\n", "Content-Length: 9999\r\n\r\nbody")));
    assertEquals(
        "Content-Length 9999 larger than the message, whose body has 4 octets", e.getMessage());
  }

  @Test
  void missingRequiredHeadersAreListed() throws ParseException {
    // RFC 4475 §3.3.1
    SIPMessage m =
        new gov.nist.javax.sip.parser.StringMsgParser()
            .parseSIPMessage(
                OPTIONS
                    .replace("Call-ID: c1\r\n", "")
                    .replace("To: Bob <sip:bob@herald.test>\r\n", "")
                    .getBytes(StandardCharsets.UTF_8),
                true,
                false,
                CHANNEL_LIKE);
    assertEquals(
        Optional.of("missing Call-ID, To"), MessageValidation.missingHeaders((SIPRequest) m));
  }

  /** The byte checks read the start line and headers only: a PUBLISH's body is not split. */
  @ParameterizedTest
  @CsvSource({
    "'PUBLISH sip:a@herald.test SIP/2.0\r\nTo: <sip:a@herald.test>\r\n\r\n<x/>', 62",
    "'PUBLISH sip:a@herald.test SIP/2.0\nTo: <sip:a@herald.test>\n\n<x/>', 59",
    "'\r\n\r\nOPTIONS sip:herald.test SIP/2.0\r\nMax-Forwards: 70\r\n\r\n', 57",
    "'OPTIONS sip:herald.test SIP/2.0\r\nMax-Forwards: 70\r\n', 51",
  })
  void theHeaderSectionEndsAfterTheFirstEmptyLine(String message, int end) {
    byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
    assertEquals(end, MessageValidation.headerSectionEnd(bytes));
  }

  @ParameterizedTest
  @CsvSource({
    "'<sip:a@herald.test>', false",
    "'\"A B\" <sip:a@herald.test>;tag=1', false",
    "'< sip:a@herald.test>', true",
    "'<sip:a@herald.test >', true",
    "'<\tsip:a@herald.test>', true",
    "'<sip:a@herald.test\t>', true",
    "'A <sip:a@herald.test> >', true",
    "'', false",
  })
  void spaceJustInsideAngleBracketsIsFound(String value, boolean found) {
    assertEquals(found, MessageValidation.spaceInsideBrackets(value));
  }
}
