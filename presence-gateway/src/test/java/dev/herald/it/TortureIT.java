package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.fixtures.sipp.SippResult;
import dev.herald.fixtures.sipp.SippTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 4475 (SIP torture test messages) and RFC 5118 (IPv6 torture messages) sent to a running
 * Herald byte for byte, over UDP or TCP as the top Via says, with every Via sent-by rewritten to
 * the test's loopback socket (nothing else is changed). The table says what each message must get;
 * Herald's domain is herald.test, so a request the RFC expects to be accepted, addressed to
 * example.com, is rightly answered 404 by the domain check: a proper response, never 400.
 *
 * <p>Each message goes to a Herald of its own: the RFC's messages are independent, and many share a
 * branch ({@code z9hG4bKkdjuw}), which JAIN-SIP takes for a retransmission of the earlier message
 * for 32 s (it matches server transactions by branch alone; README, deviations). {@link
 * #heraldSurvivesEveryMessageInARow} then sends all of them to one Herald and checks it still
 * answers.
 */
class TortureIT {
  /** How long a case waits for answers (and, where the message must be dropped, for silence). */
  private static final Duration WINDOW = Duration.ofMillis(700);

  /** {@code status}: the final response expected, 0 for none (dropped); a reason it contains. */
  record Case(String section, String file, int status, String reason) {
    @Override
    public String toString() {
      return "RFC " + section + " " + file + " -> " + (status == 0 ? "dropped" : status);
    }
  }

  private static Case c(String section, String file, int status, String reason) {
    return new Case(section, file, status, reason);
  }

  private static final int DROPPED = 0;

  static Stream<Case> cases() {
    return Stream.of(
        // 3.1.1 valid messages: parsed and answered (404: example.com is not Herald's domain).
        c("4475 3.1.1.1", "rfc4475/wsinv.dat", 404, "chair-dnrc.example.com"),
        c("4475 3.1.1.2", "rfc4475/intmeth.dat", 404, "example.com"),
        c("4475 3.1.1.3", "rfc4475/esc01.dat", 404, "example.net"),
        c("4475 3.1.1.4", "rfc4475/escnull.dat", 404, "example.com"),
        c("4475 3.1.1.5", "rfc4475/esc02.dat", 404, "registrar.example.com"),
        c("4475 3.1.1.6", "rfc4475/lwsdisp.dat", 404, "example.com"),
        c("4475 3.1.1.7", "rfc4475/longreq.dat", 404, "example.com"),
        // the REGISTER is answered; the octets after its Content-Length are ignored (UDP)
        c("4475 3.1.1.8", "rfc4475/dblreq.dat", 404, "example.com"),
        c("4475 3.1.1.9", "rfc4475/semiuri.dat", 404, "example.com"),
        c("4475 3.1.1.10", "rfc4475/transports.dat", 404, "example.com"),
        c("4475 3.1.1.11", "rfc4475/mpart01.dat", 404, "example.org"),
        // responses that match no transaction of Herald's are dropped (RFC 3261 §18.1.2)
        c("4475 3.1.1.12", "rfc4475/unreason.dat", DROPPED, null),
        c("4475 3.1.1.13", "rfc4475/noreason.dat", DROPPED, null),
        // 3.1.2 invalid messages: 400 naming the problem; invalid responses are dropped.
        c("4475 3.1.2.1", "rfc4475/badinv01.dat", 400, "malformed Via header"),
        c("4475 3.1.2.2", "rfc4475/clerr.dat", 400, "Content-Length 9999 larger than the message"),
        c("4475 3.1.2.3", "rfc4475/ncl.dat", 400, "malformed Content-Length header"),
        c("4475 3.1.2.4", "rfc4475/scalar02.dat", 400, "malformed CSeq header"),
        c("4475 3.1.2.5", "rfc4475/scalarlg.dat", DROPPED, null),
        c("4475 3.1.2.6", "rfc4475/quotbal.dat", 400, "malformed To header"),
        c("4475 3.1.2.7", "rfc4475/ltgtruri.dat", 400, "malformed Request-Line"),
        c("4475 3.1.2.8", "rfc4475/lwsruri.dat", 400, "malformed Request-Line"),
        c(
            "4475 3.1.2.9",
            "rfc4475/lwsstart.dat",
            400,
            "Request-Line must be method, URI and version separated by single spaces"),
        c(
            "4475 3.1.2.10",
            "rfc4475/trws.dat",
            400,
            "Request-Line must be method, URI and version separated by single spaces"),
        c("4475 3.1.2.11", "rfc4475/escruri.dat", 400, "Request-URI must not carry headers"),
        c("4475 3.1.2.12", "rfc4475/baddate.dat", 400, "malformed Date header"),
        c(
            "4475 3.1.2.13",
            "rfc4475/regbadct.dat",
            400,
            "Contact URI with headers must be enclosed in <>"),
        c("4475 3.1.2.14", "rfc4475/badaspec.dat", 400, "spaces within the addr-spec of To"),
        c("4475 3.1.2.15", "rfc4475/baddn.dat", 400, "display name of From must be tokens"),
        c("4475 3.1.2.16", "rfc4475/badvers.dat", 505, "Version Not Supported (SIP/7.0)"),
        c(
            "4475 3.1.2.17",
            "rfc4475/mismatch01.dat",
            400,
            "CSeq method INVITE does not match OPTIONS"),
        c(
            "4475 3.1.2.18",
            "rfc4475/mismatch02.dat",
            400,
            "CSeq method INVITE does not match NEWMETHOD"),
        c("4475 3.1.2.19", "rfc4475/bigcode.dat", DROPPED, null),
        // 3.2.1: a branch of the bare magic cookie is still a request to answer
        c("4475 3.2.1", "rfc4475/badbranch.dat", 404, "example.com"),
        // 3.3 application-layer semantics
        c("4475 3.3.1", "rfc4475/insuf.dat", 400, "missing Call-ID, From, To"),
        c("4475 3.3.2", "rfc4475/unkscm.dat", 416, "nobodyKnowsThisScheme"),
        c("4475 3.3.3", "rfc4475/novelsc.dat", 416, "soap.beep"),
        // a registrar would refuse the non-SIP AOR; example.com is not Herald's, so 404 first
        c("4475 3.3.4", "rfc4475/unksm2.dat", 404, "example.com"),
        // Require is refused (Proxy-Require is a proxy's business, RFC 3261 §8.2.2.3)
        c("4475 3.3.5", "rfc4475/bext01.dat", 420, "Bad Extension"),
        // INVITE with an unknown body type, to a domain Herald does not serve
        c("4475 3.3.6", "rfc4475/invut.dat", 404, "example.com"),
        // REGISTER with an unknown Authorization scheme, to a domain Herald does not serve
        c("4475 3.3.7", "rfc4475/regaut01.dat", 404, "example.com"),
        c("4475 3.3.8", "rfc4475/multi01.dat", 400, "more than one CSeq header"),
        c("4475 3.3.9", "rfc4475/mcl01.dat", 400, "more than one Content-Length header"),
        c("4475 3.3.10", "rfc4475/bcast.dat", DROPPED, null),
        // OPTIONS for example.com with Max-Forwards 0 would have to be forwarded: 483
        c("4475 3.3.11", "rfc4475/zeromf.dat", 483, "Too Many Hops (Max-Forwards is 0)"),
        // REGISTER variants for example.com: the registrar's rules do not arise, 404 first
        c("4475 3.3.12", "rfc4475/cparam01.dat", 404, "example.com"),
        c("4475 3.3.13", "rfc4475/cparam02.dat", 404, "example.com"),
        c("4475 3.3.14", "rfc4475/regescrt.dat", 404, "example.com"),
        // INVITE accepting only an unknown type, to a domain Herald does not serve
        c("4475 3.3.15", "rfc4475/sdp01.dat", 404, "example.com"),
        // 3.4.1: RFC 2543 syntax (no branch) is still answered
        c("4475 3.4.1", "rfc4475/inv2543.dat", 404, "example.com"),
        // RFC 5118: the ten good messages parse and are answered; the two bad ones get 400.
        c("5118 4.1", "rfc5118/ipv6-good", 404, "2001:db8::10"),
        c("5118 4.2", "rfc5118/port-ambiguous", 404, "2001:db8::10:5070"),
        c("5118 4.2", "rfc5118/port-unambiguous", 404, "2001:db8::10"),
        c("5118 4.3", "rfc5118/ipv6-bad", 400, "IPv6 reference in Request-URI must be in brackets"),
        c("5118 4.4", "rfc5118/ipv6-correct-abnf-2-colons", 404, "2001:db8::192.0.2.1"),
        c(
            "5118 4.4",
            "rfc5118/ipv6-bug-abnf-3-colons",
            400,
            "malformed IPv6 reference in Request-URI"),
        c("5118 4.5", "rfc5118/via-received-param-with-delim", 404, "2001:db8::10"),
        c("5118 4.5", "rfc5118/via-received-param-no-delim", 404, "2001:db8::10"),
        c("5118 4.6", "rfc5118/ipv6-in-sdp", 404, "2001:db8::10"),
        c("5118 4.7", "rfc5118/mult-ip-in-header", 404, "host.example.net"),
        c("5118 4.8", "rfc5118/mult-ip-in-sdp", 404, "2001:db8::10"),
        c("5118 4.9", "rfc5118/ipv4-mapped-ipv6", 404, "example.com"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachMessageGetsWhatTheRfcSays(Case c) throws Exception {
    byte[] message = fixture(c.file());
    try (RunningHerald herald = RunningHerald.start();
        RawSipClient client = RawSipClient.open(herald.port())) {
      List<String> finals = finalResponses(client.exchange(message, WINDOW));
      if (c.status() == DROPPED) {
        assertEquals(List.of(), finals, c + ": Herald answered what it must drop");
        return;
      }
      assertEquals(1, finals.size(), c + ": expected one final response, got " + finals);
      String line = finals.get(0);
      assertTrue(line.startsWith("SIP/2.0 " + c.status() + " "), c + ": got " + line);
      assertTrue(line.contains(c.reason()), c + ": reason should name " + c.reason() + ": " + line);
    }
  }

  /**
   * RFC 4475 §3.3.5: the 420 lists both Require tags in Unsupported; Proxy-Require is for proxies
   * (RFC 3261 §8.2.2.3), so its tags are not listed.
   */
  @Test
  void requireTagsAreListedAsUnsupported() throws Exception {
    try (RunningHerald herald = RunningHerald.start();
        RawSipClient client = RawSipClient.open(herald.port())) {
      List<String> answers = client.exchange(fixture("rfc4475/bext01.dat"), WINDOW);
      assertEquals(1, answers.size(), answers.toString());
      Set<String> tags = new LinkedHashSet<>();
      for (String line : answers.get(0).split("\r\n")) {
        if (line.regionMatches(true, 0, "Unsupported:", 0, 12)) {
          for (String tag : line.substring(12).split(",")) {
            tags.add(tag.strip());
          }
        }
      }
      assertEquals(
          Set.of("nothingSupportsThis", "nothingSupportsThisEither"), tags, answers.get(0));
    }
  }

  /**
   * RFC 4475 §3.1.2.17 over TCP (the fixture's Via says UDP; only its transport is changed here):
   * JAIN-SIP's TCP reader drops a request that fails to parse, so Herald's parser sends the 400.
   */
  @Test
  void cseqMismatchOverTcpIsAnsweredToo() throws Exception {
    byte[] udp = fixture("rfc4475/mismatch01.dat");
    String text = new String(udp, StandardCharsets.ISO_8859_1);
    byte[] tcp = text.replace("SIP/2.0/UDP", "SIP/2.0/TCP").getBytes(StandardCharsets.ISO_8859_1);
    try (RunningHerald herald = RunningHerald.start();
        RawSipClient client = RawSipClient.open(herald.port())) {
      List<String> finals = finalResponses(client.exchange(tcp, WINDOW));
      assertEquals(
          List.of("SIP/2.0 400 Bad Request (CSeq method INVITE does not match OPTIONS)"), finals);
    }
  }

  /**
   * RFC 4475 §3 intro: an element must survive every message. One Herald gets all of them, then
   * still answers OPTIONS over UDP and TCP, and a SIPp OPTIONS run passes.
   */
  @Test
  void heraldSurvivesEveryMessageInARow() throws Exception {
    try (RunningHerald herald = RunningHerald.start()) {
      for (Case c : cases().toList()) {
        try (RawSipClient client = RawSipClient.open(herald.port())) {
          client.exchange(fixture(c.file()), Duration.ofMillis(50));
        }
      }
      for (SippTransport transport : SippTransport.values()) {
        SippResult r = herald.sipp("options", transport).calls(3).run().assertPassed();
        assertEquals(3, r.received("200"), r.describe());
      }
    }
  }

  /**
   * RFC 4475 §3.4.1 (RFC 2543 syntax, no branch) while Herald holds completed transactions, as it
   * always does in service. Fuzzing finding: JAIN-SIP matched such a request against every server
   * transaction, one that had released its request threw NullPointerException, and the request was
   * dropped unanswered. Now it gets its answer, and so does its retransmission.
   */
  @Test
  void anRfc2543RequestIsAnsweredBesideCompletedTransactions() throws Exception {
    try (RunningHerald herald = RunningHerald.start()) {
      SippResult r = herald.sipp("options", SippTransport.UDP).calls(5).run().assertPassed();
      assertEquals(5, r.received("200"), r.describe());
      for (int attempt = 1; attempt <= 2; attempt++) {
        try (RawSipClient client = RawSipClient.open(herald.port())) {
          List<String> finals =
              finalResponses(client.exchange(fixture("rfc4475/inv2543.dat"), WINDOW));
          assertEquals(1, finals.size(), "attempt " + attempt + ": " + finals);
          assertTrue(finals.get(0).startsWith("SIP/2.0 404 "), finals.get(0));
        }
      }
    }
  }

  /**
   * Fuzzing finding: JAIN-SIP's parser takes a Via port above 65,535, and the response to that port
   * could not be sent (JAIN-SIP logged an ERROR; the sender heard nothing). The request is answered
   * with 400 at the port it came from.
   */
  @Test
  void aViaPortOutOfRangeGets400AtTheSourcePort() throws Exception {
    String options =
        "OPTIONS sip:herald.test SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:579744;branch=z9hG4bK-port-out-of-range\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:alice@herald.test>;tag=p1\r\n"
            + "To: <sip:herald.test>\r\n"
            + "Call-ID: port-out-of-range@127.0.0.1\r\n"
            + "CSeq: 1 OPTIONS\r\n"
            + "Content-Length: 0\r\n\r\n";
    try (RunningHerald herald = RunningHerald.start();
        RawSipClient client = RawSipClient.open(herald.port())) {
      List<String> finals =
          finalResponses(client.exchangeUdpAsIs(options.getBytes(StandardCharsets.UTF_8), WINDOW));
      assertEquals(List.of("SIP/2.0 400 Bad Request (Via port 579744 is out of range)"), finals);
    }
  }

  /** Distinct final responses' start lines: UDP retransmissions of one answer count once. */
  private static List<String> finalResponses(List<String> messages) {
    Set<String> out = new LinkedHashSet<>();
    for (String m : messages) {
      String line = RawSipClient.startLine(m);
      if (!line.matches("SIP/2\\.0 1[0-9][0-9] .*")) {
        out.add(line);
      }
    }
    return List.copyOf(out);
  }

  private static byte[] fixture(String file) {
    String path = "torture/" + file;
    try (InputStream in = TortureIT.class.getClassLoader().getResourceAsStream(path)) {
      assertNotNull(in, "no fixture " + path + " on the class path (test-fixtures)");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
