package dev.herald.im.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The XML attacks on the XMPP stream, one row each, with the stream error that proves the
 * protection against it (README, "XML limits"). Each row pins the condition and the words of the
 * check that stopped it, so removing that check changes the outcome and fails the row: a DTD,
 * comment, processing instruction or entity reference is restricted XML (RFC 6120 §11.1), depth and
 * size are policy violations that come before the stanza ends, and no stanza is ever handed on. One
 * protection is Aalto's own: its async reader refuses any internal DTD subset as not well-formed,
 * so no entity can be declared (billion laughs, XXE). The canary file is never read.
 */
class StreamParserHardeningTest {
  private static final int MAX_BYTES = 4096;
  private static final int MAX_DEPTH = 8;
  private static final String CANARY = "CANARY-77c1e0";
  private static final String HEADER =
      "<stream:stream xmlns:stream='http://etherx.jabber.org/streams'"
          + " xmlns='jabber:component:accept' from='sip.herald.test' id='1'>";

  /** Aalto's async reader has no internal subset at all: it stops at the '['. */
  private static final String INTERNAL_SUBSET = "Invalid name start character (0x5b)";

  @TempDir static Path dir;

  static Stream<Arguments> attacks() throws IOException {
    Path canary = Files.writeString(dir.resolve("canary.txt"), CANARY);
    String laughs =
        "<!DOCTYPE stream:stream [<!ENTITY l0 'lol'><!ENTITY l1 '&l0;&l0;&l0;&l0;&l0;&l0;'>]>";
    return Stream.of(
        Arguments.of(
            "internal DTD subset (billion laughs)",
            "<?xml version='1.0'?>" + laughs + HEADER,
            "not-well-formed",
            INTERNAL_SUBSET),
        Arguments.of(
            "external DTD",
            "<?xml version='1.0'?><!DOCTYPE stream:stream SYSTEM '"
                + canary.toUri()
                + "'>"
                + HEADER,
            "restricted-xml",
            "a DTD"),
        Arguments.of(
            "external entity (XXE)",
            "<?xml version='1.0'?><!DOCTYPE stream:stream [<!ENTITY x SYSTEM '"
                + canary.toUri()
                + "'>]>"
                + HEADER
                + "<message><body>&x;</body></message>",
            "not-well-formed",
            INTERNAL_SUBSET),
        Arguments.of(
            "entity reference without a DTD",
            HEADER + "<message><body>&x;</body></message>",
            "restricted-xml",
            "an entity reference"),
        Arguments.of(
            "comment", HEADER + "<message><!-- hi --></message>", "restricted-xml", "a comment"),
        Arguments.of(
            "processing instruction",
            HEADER + "<message><?pi data?></message>",
            "restricted-xml",
            "a processing instruction"),
        Arguments.of(
            "deep nesting",
            HEADER + "<message>" + "<x>".repeat(1_000),
            "policy-violation",
            "deeper than " + MAX_DEPTH),
        Arguments.of(
            "huge stanza",
            HEADER + "<message><body>" + "a".repeat(100_000),
            "policy-violation",
            "larger than " + MAX_BYTES),
        Arguments.of(
            "endless attribute value",
            HEADER + "<message to='" + "a".repeat(100_000),
            "policy-violation",
            "larger than " + MAX_BYTES));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void isRefused(String attack, String stream, String condition, String words) {
    List<XmlElement> stanzas = new ArrayList<>();
    StreamParser parser =
        new StreamParser(
            new StreamParser.Handler() {
              @Override
              public void streamOpened(Map<String, String> attributes) {}

              @Override
              public void stanza(XmlElement stanza) {
                stanzas.add(stanza);
              }

              @Override
              public void streamClosed() {}
            },
            MAX_BYTES,
            MAX_DEPTH);
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);

    XmppStreamException e =
        assertThrows(XmppStreamException.class, () -> feedInReads(parser, bytes), attack);

    assertEquals(condition, e.condition(), attack + ": " + e.getMessage());
    assertTrue(e.getMessage().contains(words), attack + ": " + e.getMessage());
    assertEquals(List.of(), stanzas, attack);
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains(CANARY), attack + " read the file");
    }
  }

  /** As MINA hands them over: reads of up to 2 KiB. */
  private static void feedInReads(StreamParser parser, byte[] bytes) throws XmppStreamException {
    for (int offset = 0; offset < bytes.length; offset += 2048) {
      parser.feed(bytes, offset, Math.min(2048, bytes.length - offset));
    }
  }
}
