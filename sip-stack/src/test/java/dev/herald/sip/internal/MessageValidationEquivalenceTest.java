package dev.herald.sip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.fixtures.fuzz.FuzzSeeds;
import dev.herald.sip.Rejection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link MessageValidation#inspect(byte[])} reads the bytes in place; {@link OldMessageValidation}
 * is how it read them before, through a String per line. They must answer every message alike: the
 * messages of MessageValidationTest, every torture and SIPp scenario message of the fixtures
 * ({@link FuzzSeeds}), the inputs the intake fuzzer kept, edge cases written for the byte scanner,
 * and mutants of all of these made with a fixed seed (so a failure comes back on the next run).
 *
 * <p>One difference is intended and left out: the old display-name regular expression recursed once
 * per word and threw StackOverflowError on an unquoted display name of a few thousand words
 * (MessageValidationTest#aLongUnquotedDisplayNameIsChecked); no message here comes near that.
 */
class MessageValidationEquivalenceTest {
  private static final int MUTANTS = 20_000;
  private static final long SEED = 4475;

  /** MessageValidationTest's request, and the lines its tests replace in it. */
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

  private static final String START = "OPTIONS sip:herald.test SIP/2.0";

  /** Start lines: good ones, and one of each way the Request-Line checks can fail or pass. */
  private static final List<String> START_LINES =
      List.of(
          START,
          "OPTIONS  sip:herald.test SIP/2.0",
          "OPTIONS sip:herald.test SIP/2.0 ",
          "OPTIONS sip:herald.test ",
          "OPTIONS  SIP/2.0",
          " OPTIONS sip:herald.test SIP/2.0",
          "OPTIONS\tsip:herald.test SIP/2.0",
          "OPTIONS sip:herald.test\tSIP/2.0",
          "OPTIONS sip:herald.test\rSIP/2.0",
          "OPTIONS sip:herald.test SIP/2.0\r",
          "OPTIONS sip:herald.test SIP/7.0",
          "OPTIONS sip:herald.test SIP/2.0x",
          "OPTIONS sip:herald.test SIP/2.",
          "OPTIONS sip:herald.test sip/2.0",
          "OPTIONS sip:herald.test HTTP/1.1",
          "OPTIONS sip:herald.test",
          "OPTIONS",
          "SIP/2.0 200 OK",
          "SIP/2.0  200  OK ",
          "SIP/",
          "SIP",
          "sip/2.0 200 OK",
          "OPTIONS sip:2001:db8::10 SIP/2.0",
          "OPTIONS sip:[2001:db8::10] SIP/2.0",
          "OPTIONS sip:[2001:db8::10]:5060;transport=udp SIP/2.0",
          "OPTIONS sip:u@[2001:db8:::192.0.2.1] SIP/2.0",
          "OPTIONS sip:u@[2001:db8::192.0.2.1]:5060 SIP/2.0",
          "OPTIONS SIPS:u@[2001:db8::1 SIP/2.0",
          "OPTIONS Sip:u@h:1:2 SIP/2.0",
          "OPTIONS sIpS:u@h:1 SIP/2.0",
          "OPTIONS sips:u@h;x=a:b:c SIP/2.0",
          "OPTIONS sip:u@h?x=a:b SIP/2.0",
          "OPTIONS sip:u@h;x?a:b:c SIP/2.0",
          "OPTIONS sip:u@h?x=a:b:c SIP/2.0",
          "OPTIONS sip:u@h?x=a;b:c:d SIP/2.0",
          "OPTIONS sip:[::1?x] SIP/2.0",
          "OPTIONS sip:[::1;x] SIP/2.0",
          "OPTIONS sip:[::1]?x=] SIP/2.0",
          "OPTIONS sip:a:b@c SIP/2.0",
          "OPTIONS sip:a:b@c:d:e SIP/2.0",
          "OPTIONS sip:a@b@c:d:e SIP/2.0",
          "OPTIONS sip:[::ffff:192.0.2.10]:5060 SIP/2.0",
          "OPTIONS sip:[] SIP/2.0",
          "OPTIONS sip:[ SIP/2.0",
          "OPTIONS sip:u@;[::1] SIP/2.0",
          "OPTIONS sip:u@ SIP/2.0",
          "OPTIONS sip: SIP/2.0",
          "OPTIONS sips: SIP/2.0",
          "OPTIONS sip SIP/2.0",
          "OPTIONS sipx:a:b:c SIP/2.0",
          "OPTIONS tel:+1:2:3 SIP/2.0",
          "OPTIONS sip:\u00e9:\u00ff:x SIP/2.0",
          "\u00ffOPTIONS sip:x SIP/2.0",
          "OPTIONS \u0000sip:x SIP/2.0",
          "OPTIONS s\u00edp:x:y:z SIP/2.0");

  /** Header lines for the duplicate and address checks; {@code \r\n} inside one folds it. */
  private static final List<String> HEADER_LINES =
      List.of(
          "To: <sip:bob@herald.test>",
          "To: Bob <sip:bob@herald.test>",
          "To: \"Bob B.\" <sip:bob@herald.test>;tag=9",
          "To: Bob, B. <sip:bob@herald.test>",
          "To: < sip:bob@herald.test>",
          "To: <sip:bob@herald.test >",
          "To: <sip:bob@herald.test\t>",
          "To: \"a < b\" <sip:bob@herald.test>",
          "To: \"a \\\" < \" <sip:x@y>",
          "To: \"a \\\\\" < x>",
          "To: \"unbalanced <sip:x@y >",
          "To: a\"b\" <sip:x@y>",
          "To: a,\"b\" <sip:x@y>",
          "To: <sip:x@y>, Bad, Name <sip:z@w>",
          "To:<sip:x@y>",
          "To: ,<sip:x@y>",
          "t: sip:bob@herald.test",
          "t: B@d <sip:x@y>",
          "f: Alice <sip:alice@herald.test>;tag=1",
          "From: \"Al\\\\\" ice <sip:a@b>",
          "From:    <sip:alice@herald.test>",
          "From: Al\tice <sip:a@b>",
          "From: Al!ce%*_+`'~- <sip:a@b>",
          "From: Alic\u00e9 <sip:a@b>",
          "From: a.b <sip:a@b>;tag=\"x y\" >",
          "from: a@b <sip:a@b>",
          "FROM: a;b <sip:a@b>",
          "fRoM: \"\" <sip:a@b>",
          "Contact: \"Alice, at home\" <sip:alice@127.0.0.1:5070>, <sip:alice@127.0.0.1:5071>",
          "Contact: < sip:x@y>",
          "Contact: Bad, name <sip:x@y>",
          "m: <sip:x@y >",
          "m: *",
          "CONTACT: <sip:x@y>\t>",
          " To : <sip:x@y>",
          "\tFrom\t: Bad, Name <sip:x@y>",
          "To\r\n : < sip:x@y>",
          "To\r\n\t: A, B <sip:x@y>",
          "To :\r\n <sip:x@y >",
          "To: A\r\n <sip:x@y >",
          "To: A\r\n \u0001<sip:x@y>",
          "To: <sip:x@y\r\n \u0000>",
          "To: A\r\n \u001c<sip:x@y\u001f\r\n \u001f>",
          "To: A\r\n \r\n <sip:x@y >",
          "To: A\n\t<sip:x@y>\r\n  >",
          "To: \"q\r\n uoted\" <sip:x@y>",
          "Fr\r\n om: <sip:x@y >",
          "T o: <sip:x@y >",
          "\u0001To: < sip:x@y>",
          "To\u0001: < sip:x@y>",
          "To\u0000 : < sip:x@y>",
          "To\u00a0: < sip:x@y>",
          "\u001cTo: < sip:x@y>",
          ":To: <sip:x@y >",
          ": <sip:x@y >",
          "To <sip:x@y >",
          "T\u00f3: < x>",
          "Tos: < x>",
          "Contact-X: < x>",
          "Call-ID: x",
          "i: y",
          "call-id: z",
          "CSeq: 1 OPTIONS",
          "Max-Forwards: 70",
          "max-forwards : 69",
          "Content-Length: 0",
          "l: 0",
          "Content-Type: text/plain",
          "c: text/plain",
          "Expires: 60",
          "EXPIRES:60",
          "Via: SIP/2.0/UDP x;branch=z9hG4bK-2",
          "v: SIP/2.0/UDP y",
          "Subject: To: < x>",
          "X: y\r\n To: < x>");

  /** Bytes a mutation inserts: those the rules turn on, and some that only look like them. */
  private static final String INTERESTING =
      " \t\r\n:<>\"\\,@;?[]aT.\u0000\u0001\u000b\u001c\u001f\u007f\u0085\u00a0\u00e9\u00ff";

  private int cases;

  @Test
  void theMessagesOfMessageValidationTestGetTheSameAnswer() {
    List<String> messages = new ArrayList<>();
    messages.add(OPTIONS);
    messages.add(OPTIONS.replace("\r\n", "\n"));
    for (String start : START_LINES) {
      messages.add(OPTIONS.replace(START, start));
    }
    for (String header : HEADER_LINES) {
      messages.add(OPTIONS.replace("Call-ID: c1\r\n", "Call-ID: c1\r\n" + header + "\r\n"));
    }
    messages.add(
        OPTIONS.replace("To: Bob <sip:bob@herald.test>", "To: Bob\r\n <sip:bob@herald.test >"));
    messages.add(OPTIONS.replace("\"Alice A.\" <sip:alice", "Alice, A. <sip:alice"));
    messages.add(OPTIONS.replace("<sip:bob@herald.test>", "< sip:bob@herald.test >"));
    messages.add(
        OPTIONS.replace(
            "Call-ID: c1\r\n", "Call-ID: c1\r\nDate: Fri, 01 Jan 2010 16:00:00 EST\r\n"));
    messages.add(OPTIONS.replace("Content-Length: 0\r\n\r\n", "Content-Length: 9999\r\n\r\nbody"));
    for (String s : messages) {
      assertSameAnswer(latin1(s));
    }
  }

  @Test
  void theFixturesGetTheSameAnswer() {
    List<byte[]> seeds = seeds();
    assertTrue(seeds.size() > 100, "fixtures: " + seeds.size());
    seeds.forEach(this::assertSameAnswer);
  }

  /** Where a byte scanner is most likely to count differently than a String split. */
  @Test
  void edgeCasesGetTheSameAnswer() {
    String h = START + "\r\n";
    List<String> edges =
        List.of(
            "",
            "\r",
            "\n",
            "\r\n",
            "\n\n\n",
            "\r\r\n",
            "\r\r\n" + h + "To: < x>\r\n\r\n",
            "\n\r\n\r\n" + h + "To: < x>\r\n\r\n",
            "\r\n \r\n" + h,
            START,
            START + "\r",
            START + "\r\r",
            START + "\r\r\n",
            START + "\n",
            START + "\r\n\r\n",
            h + "To: < x>",
            h + "To: < x>\r",
            h + "To: < x>\r\r\n\r\n",
            h + "To: <x>\r\nTo: <y>",
            h + "To: <x>\nTo: <y>\n\n",
            h + "To: <x>\r\n\r\nTo: <y>\r\n",
            h + "To: <x>\n\r\nTo: <y>\r\n",
            h + "To: <x>\r\n\r\r\nTo: <y>\r\n",
            h + "To: <x>\r\n\rTo: <y>\r\n",
            h + " To: <x >\r\n\r\n",
            h + "\tTo: <x>\r\nt: <y>\r\n\r\n",
            h + " \r\n To: <x >\r\n\r\n",
            h + "  \r\n\tt\r\n :< y>\r\n\r\n",
            h + "X\r\n To: <x >\r\n\r\n",
            h + "To\r\n\r\n : < x>\r\n",
            h + ":To: <x >\r\n:To: <y>\r\n\r\n",
            h + "To: <x >\r\nFrom: <y>\r\nFrom: <z>\r\n\r\n",
            h + "To: A, B <x>\r\nContact: < y>\r\n\r\n",
            h + "Contact: < y>\r\nTo: A, B <x>\r\n\r\n",
            h + "To: <x>\r\n\t\r\n\r\n",
            h + "To: <x\r\n >\r\n\r\n",
            h + "To: <x>\r\n \r\n",
            h + "To: <x>\r\n ",
            h + "To: <x>\r\n\t",
            h + "To: \"\\",
            h + "To: \"",
            h + "To: <",
            h + "To:",
            h + "To",
            h + ":",
            "SIP/2.0 200 OK\r\nTo: <x>\r\nTo: <y>\r\n\r\n",
            "SIP/2.0 200 OK",
            "SIP/",
            "\r\nSIP/2.0 200 OK\r\n");
    edges.forEach(s -> assertSameAnswer(latin1(s)));
  }

  @Test
  void mutantsGetTheSameAnswer() {
    List<byte[]> seeds = new ArrayList<>(seeds());
    seeds.add(latin1(OPTIONS));
    Random random = new Random(SEED);
    Set<String> reasons = new TreeSet<>();
    for (int n = 0; n < MUTANTS; n++) {
      String s = new String(seeds.get(random.nextInt(seeds.size())), StandardCharsets.ISO_8859_1);
      int mutations = 1 + random.nextInt(4);
      for (int m = 0; m < mutations; m++) {
        s = MUTATIONS.get(random.nextInt(MUTATIONS.size())).apply(s, random);
      }
      Optional<Rejection> answer = assertSameAnswer(latin1(s));
      reasons.add(answer.map(Rejection::reason).orElse("none"));
    }
    // The mutants must reach every rule, or agreeing on them proves little.
    for (String reason :
        List.of(
            "none",
            "Bad Request (Request-Line must be method, URI and version separated by single spaces)",
            "Bad Request (SIP version missing)",
            "Version Not Supported (SIP/7.0)",
            "Bad Request (IPv6 reference in Request-URI must be in brackets)",
            "Bad Request (more than one To header)",
            "Bad Request (more than one From header)",
            "Bad Request (more than one Call-ID header)",
            "Bad Request (more than one CSeq header)",
            "Bad Request (more than one Max-Forwards header)",
            "Bad Request (more than one Content-Length header)",
            "Bad Request (more than one Content-Type header)",
            "Bad Request (more than one Expires header)",
            "Bad Request (spaces within the addr-spec of To)",
            "Bad Request (spaces within the addr-spec of From)",
            "Bad Request (spaces within the addr-spec of Contact)",
            "Bad Request (display name of To must be tokens or a quoted string)",
            "Bad Request (display name of From must be tokens or a quoted string)")) {
      assertTrue(reasons.contains(reason), "no mutant got " + reason + "; got " + reasons);
    }
    assertTrue(
        reasons.stream().anyMatch(r -> r.startsWith("Bad Request (malformed IPv6 reference")),
        "no mutant got a malformed IPv6 reference; got " + reasons);
  }

  private Optional<Rejection> assertSameAnswer(byte[] message) {
    cases++;
    Optional<Rejection> old = OldMessageValidation.inspect(message);
    Optional<Rejection> now = MessageValidation.inspect(message);
    assertEquals(old, now, () -> "case " + cases + " answered differently:\n" + escaped(message));
    return now;
  }

  /** The fixtures' messages, and the inputs the intake fuzzer kept (presence-gateway). */
  private static List<byte[]> seeds() {
    List<byte[]> seeds = new ArrayList<>(FuzzSeeds.sipMessages().toList());
    Path kept =
        Path.of("../presence-gateway/src/test/resources/dev/herald/it/SipIntakeFuzzITInputs");
    assertTrue(Files.isDirectory(kept), kept.toAbsolutePath() + " is missing");
    try (Stream<Path> files = Files.walk(kept)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        seeds.add(Files.readAllBytes(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return seeds;
  }

  private static final List<BiFunction<String, Random, String>> MUTATIONS =
      List.of(
          // a byte inserted, deleted, or a run of bytes repeated
          (s, r) -> insert(s, r.nextInt(s.length() + 1), pick(INTERESTING, r)),
          (s, r) -> s.isEmpty() ? s : delete(s, r.nextInt(s.length()), 1 + r.nextInt(3)),
          (s, r) -> {
            if (s.isEmpty()) {
              return s;
            }
            int from = r.nextInt(s.length());
            int to = Math.min(s.length(), from + 1 + r.nextInt(40));
            return insert(s, r.nextInt(s.length() + 1), s.substring(from, to));
          },
          // header lines duplicated, dropped, swapped, added
          (s, r) -> {
            List<String> lines = lines(s);
            int i = r.nextInt(lines.size());
            lines.add(r.nextInt(lines.size() + 1), lines.get(i));
            return String.join("", lines);
          },
          (s, r) -> {
            List<String> lines = lines(s);
            lines.remove(r.nextInt(lines.size()));
            return String.join("", lines);
          },
          (s, r) -> {
            List<String> lines = lines(s);
            if (lines.size() > 2) {
              int i = 1 + r.nextInt(lines.size() - 2);
              lines.set(i, lines.set(i + 1, lines.get(i)));
            }
            return String.join("", lines);
          },
          (s, r) -> {
            List<String> lines = lines(s);
            String end = r.nextInt(4) == 0 ? "\n" : "\r\n";
            lines.add(1 + r.nextInt(lines.size()), pick(HEADER_LINES, r) + end);
            return String.join("", lines);
          },
          (s, r) -> {
            List<String> lines = lines(s);
            lines.set(0, pick(START_LINES, r) + (lines.get(0).endsWith("\r\n") ? "\r\n" : "\n"));
            return String.join("", lines);
          },
          // folding: a space becomes a line break and LWS
          (s, r) -> {
            int at = nth(s, ' ', r);
            String fold =
                List.of("\r\n ", "\n\t", "\r\n \t ", "\r\n", "\r\n\r\n ").get(r.nextInt(5));
            return at < 0 ? s : s.substring(0, at) + fold + s.substring(at + 1);
          },
          // line ends: LF alone, CR in the middle of a line, CR CR LF, blank lines in front
          (s, r) -> r.nextBoolean() ? s.replace("\r\n", "\n") : s.replaceFirst("\r\n", "\n"),
          (s, r) -> {
            int at = nth(s, '\n', r);
            return at < 0 ? s : insert(s, at, "\r");
          },
          (s, r) -> insert(s, r.nextInt(s.length() + 1), "\r"),
          (s, r) -> List.of("\r\n", "\n", "\r\r\n", "\r\n\r\n", " \r\n").get(r.nextInt(5)) + s,
          // tabs for spaces, spaces around colons, letters in another case
          (s, r) -> {
            int at = nth(s, ' ', r);
            return at < 0 ? s : s.substring(0, at) + '\t' + s.substring(at + 1);
          },
          (s, r) -> {
            int at = nth(s, ':', r);
            return at < 0 ? s : insert(s, at + (r.nextBoolean() ? 1 : 0), pick(" \t", r));
          },
          (s, r) -> {
            if (s.isEmpty()) {
              return s;
            }
            int at = r.nextInt(s.length());
            char c = s.charAt(at);
            char flipped =
                Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
            return flipped > 0xFF ? s : s.substring(0, at) + flipped + s.substring(at + 1);
          },
          // display names with and without quotes, brackets with blanks inside
          (s, r) -> {
            int at = nth(s, '<', r);
            String display =
                List.of("Bob ", "\"Bob, B.\" ", "Bob, B. ", "\"a\\\"b\" ", "a\"b ", "")
                    .get(r.nextInt(6));
            return at < 0 ? s : insert(s, at, display);
          },
          (s, r) -> {
            int at = nth(s, r.nextBoolean() ? '<' : '>', r);
            if (at < 0) {
              return s;
            }
            return insert(s, s.charAt(at) == '<' ? at + 1 : at, pick(" \t", r));
          });

  /** The lines of {@code s}, each with its line end; at least one. */
  private static List<String> lines(String s) {
    List<String> lines = new ArrayList<>();
    int from = 0;
    for (int nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', from)) {
      lines.add(s.substring(from, nl + 1));
      from = nl + 1;
    }
    lines.add(s.substring(from));
    return lines;
  }

  /** Where a randomly chosen {@code c} of {@code s} is, or -1. */
  private static int nth(String s, char c, Random r) {
    List<Integer> at = new ArrayList<>();
    for (int i = s.indexOf(c); i >= 0; i = s.indexOf(c, i + 1)) {
      at.add(i);
    }
    return at.isEmpty() ? -1 : at.get(r.nextInt(at.size()));
  }

  private static String insert(String s, int at, String what) {
    return s.substring(0, at) + what + s.substring(at);
  }

  private static String delete(String s, int at, int n) {
    return s.substring(0, at) + s.substring(Math.min(s.length(), at + n));
  }

  private static String pick(String chars, Random r) {
    return String.valueOf(chars.charAt(r.nextInt(chars.length())));
  }

  private static <T> T pick(List<T> list, Random r) {
    return list.get(r.nextInt(list.size()));
  }

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String escaped(byte[] message) {
    StringBuilder out = new StringBuilder();
    for (byte b : message) {
      int c = b & 0xFF;
      if (c == '\n') {
        out.append("\\n\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c < 0x20 || c >= 0x7F) {
        out.append(String.format("\\x%02x", c));
      } else {
        out.append((char) c);
      }
    }
    return out.toString();
  }
}
