package dev.herald.presence.pidf;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 3863 §4 document checks and the safety limits of {@link PidfParser}. */
class PidfParserTest {
  private static final int MAX_BYTES = 65536;
  private static final int MAX_DEPTH = 32;
  private final PidfParser parser = new PidfParser(MAX_BYTES, MAX_DEPTH);

  @Test
  void minimalDocument() throws PidfException {
    PidfDocument doc = parser.parse(resource("minimal.xml"));

    assertEquals("sip:alice@example.com", doc.entity());
    assertEquals(1, doc.tuples().size());
    PidfTuple tuple = doc.tuples().get(0);
    assertEquals("t1", tuple.id());
    assertEquals(Optional.of("open"), tuple.basic());
    assertEquals(
        "<tuple xmlns=\"urn:ietf:params:xml:ns:pidf\" id=\"t1\">"
            + "<status><basic>open</basic></status></tuple>",
        tuple.toXml());
    assertTrue(doc.persons().isEmpty());
    assertTrue(doc.devices().isEmpty());
    assertTrue(doc.notes().isEmpty());
    assertTrue(doc.extensions().isEmpty());
  }

  @Test
  void ciscoPublishKeepsPersonDeviceNoteAndTheirNamespaces() throws PidfException {
    PidfDocument doc = parser.parse(resource("cisco-busy.xml"));

    assertEquals("sip:1001@cucm.example.com", doc.entity());
    assertEquals(List.of("cisco-1001"), doc.tuples().stream().map(PidfTuple::id).toList());
    assertEquals(Optional.of("closed"), doc.tuples().get(0).basic());

    assertEquals(1, doc.persons().size());
    PidfElement person = doc.persons().get(0);
    assertEquals(PidfDocument.DATA_MODEL_NS, person.namespaceUri());
    assertEquals(Optional.of("p1001"), person.id());
    List<PidfElement> children = person.person.children;
    assertEquals(2, children.size());
    assertEquals(PidfDocument.RPID_NS, children.get(0).namespaceUri());
    assertEquals("activities", children.get(0).localName());
    assertEquals("urn:cisco:params:xml:ns:pidf:rpid", children.get(1).namespaceUri());
    assertEquals("alerting", children.get(1).localName());
    assertTrue(
        person.toXml().contains("<rpid:activities><rpid:on-the-phone/></rpid:activities>"),
        person.toXml());
    assertTrue(person.toXml().contains(" xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\""));
    assertTrue(person.toXml().contains(" xmlns:ce=\"urn:cisco:params:xml:ns:pidf:rpid\""));

    assertEquals(1, doc.devices().size());
    assertEquals(Optional.of("dev-sep001122334455"), doc.devices().get(0).id());
    assertEquals(1, doc.notes().size());
    assertEquals("On a call", doc.notes().get(0).text());
    assertTrue(doc.extensions().isEmpty());
  }

  @Test
  void topLevelExtensionsOfAnyNamespaceAreCarried() throws PidfException {
    PidfDocument doc =
        parse(
            """
            <presence xmlns="urn:ietf:params:xml:ns:pidf"
                      xmlns:ce="urn:cisco:params:xml:ns:pidf:rpid"
                      xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid"
                      entity="sip:alice@example.com">
              <tuple id="t1"><status><basic>open</basic></status></tuple>
              <ce:dnd/>
              <rpid:activities><rpid:busy/></rpid:activities>
              <x xmlns="urn:example:x" a="1"><y>text</y></x>
            </presence>
            """);

    List<PidfElement> extensions = doc.extensions();
    assertEquals(
        List.of("urn:cisco:params:xml:ns:pidf:rpid", PidfDocument.RPID_NS, "urn:example:x"),
        extensions.stream().map(PidfElement::namespaceUri).toList());
    assertEquals(
        List.of("dnd", "activities", "x"),
        extensions.stream().map(PidfElement::localName).toList());
    assertEquals("<x xmlns=\"urn:example:x\" a=\"1\"><y>text</y></x>", xmlOf(extensions.get(2)));
  }

  @Test
  void billionLaughsIsRefusedAtTheDoctype() {
    assertReason("Malformed PIDF: DOCTYPE not allowed", resource("billion-laughs.xml"));
  }

  @Test
  void externalEntityIsRefusedWithoutReadingTheFile() {
    PidfException e = parseFails(resource("xxe-passwd.xml"));

    assertEquals("Malformed PIDF: DOCTYPE not allowed", e.reason());
    assertFalse(chainMentions(e, "root:"), "the file's content leaked into the exception");
  }

  @Test
  void externalEntityNamingALocalFileLeaksNothing(@TempDir Path dir) throws IOException {
    Path secret = Files.writeString(dir.resolve("secret.txt"), "SECRET-MARKER-4711");
    String body =
            """
        <?xml version="1.0"?>
        <!DOCTYPE presence [ <!ENTITY xxe SYSTEM "%s"> ]>
        <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="&xxe;">
          <tuple id="t1"><status><basic>open</basic></status></tuple>
        </presence>
        """
            .formatted(secret.toUri());

    PidfException e = parseFails(body.getBytes(UTF_8));

    assertEquals("Malformed PIDF: DOCTYPE not allowed", e.reason());
    assertFalse(chainMentions(e, "SECRET-MARKER"));
  }

  @Test
  void externalDtdSubsetIsRefused() {
    assertReason(
        "Malformed PIDF: DOCTYPE not allowed",
        """
        <!DOCTYPE presence SYSTEM "http://192.0.2.1/pidf.dtd">
        <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:alice@example.com"/>
        """);
  }

  @Test
  void tooLargeIsRefusedBeforeParsing() {
    byte[] body = new byte[70000]; // not even XML: the size check comes first

    assertReason("PIDF document too large (70000 > 65536 bytes)", body);
  }

  @Test
  void nestingDeeperThanTheLimitIsRefused() {
    assertReason("Malformed PIDF: elements nested deeper than 32", nested(200).getBytes(UTF_8));
  }

  @Test
  void nestingUpToTheLimitIsAccepted() throws PidfException {
    // presence + x * 31 = 32 levels
    PidfDocument doc = parser.parse(nested(31).getBytes(UTF_8));

    assertEquals(1, doc.extensions().size());
  }

  @Test
  void deepNestingWithinAGenerousLimitDoesNotOverflowTheStack() throws PidfException {
    PidfParser generous = new PidfParser(Integer.MAX_VALUE, Integer.MAX_VALUE);
    int depth = 100_000;

    PidfDocument doc = generous.parse(nested(depth).getBytes(UTF_8));

    String xml = doc.extensions().get(0).toXml();
    assertTrue(xml.endsWith("<x/>" + "</x>".repeat(depth - 1)));
    assertTrue(PidfComposer.compose("sip:a@example.com", List.of(doc)).contains("<x><x><x>"));
  }

  @Test
  void notWellFormedGivesTheLine() {
    assertReason(
        "Malformed PIDF: not well-formed XML at line 3",
        """
        <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:alice@example.com">
          <tuple id="t1"><status><basic>open</basic></status></tuple>
          <note>unclosed</nope>
        </presence>
        """);
  }

  @Test
  void undeclaredEntityIsNotWellFormed() {
    assertReason(
        "Malformed PIDF: not well-formed XML at line 1",
        "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:a@b\">&nbsp;</presence>");
  }

  @Test
  void wrongRootElement() {
    assertReason(
        "Malformed PIDF: root element is not pidf presence",
        "<presences xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:alice@example.com\"/>");
  }

  @Test
  void presenceInAnotherNamespace() {
    assertReason(
        "Malformed PIDF: root element is not pidf presence",
        "<presence xmlns=\"urn:ietf:params:xml:ns:cpim-pidf\" entity=\"sip:alice@example.com\"/>");
  }

  @Test
  void presenceWithoutNamespace() {
    assertReason(
        "Malformed PIDF: root element is not pidf presence",
        "<presence entity=\"sip:alice@example.com\"/>");
  }

  @Test
  void presenceWithoutEntity() {
    assertReason(
        "Malformed PIDF: presence without entity",
        "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\"/>");
  }

  @Test
  void tupleWithoutId() {
    assertReason(
        "Malformed PIDF: tuple without id",
        """
        <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:alice@example.com">
          <tuple><status><basic>open</basic></status></tuple>
        </presence>
        """);
  }

  @Test
  void tupleWithoutStatus() {
    assertReason(
        "Malformed PIDF: tuple without status",
        """
        <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:alice@example.com">
          <tuple id="t1"><note>no status here</note></tuple>
        </presence>
        """);
  }

  @Test
  void basicOtherThanOpenOrClosed() {
    assertReason(
        "Malformed PIDF: basic must be open or closed",
        """
        <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:alice@example.com">
          <tuple id="t1"><status><basic>away</basic></status></tuple>
        </presence>
        """);
  }

  @Test
  void statusWithoutBasicIsAccepted() throws PidfException {
    PidfDocument doc =
        parse(
            """
            <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:alice@example.com">
              <tuple id="t1"><status/></tuple>
            </presence>
            """);

    assertEquals(Optional.empty(), doc.tuples().get(0).basic());
  }

  @Test
  void duplicateTupleId() {
    assertReason(
        "Malformed PIDF: duplicate tuple id",
        """
        <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:alice@example.com">
          <tuple id="t1"><status><basic>open</basic></status></tuple>
          <tuple id="t1"><status><basic>closed</basic></status></tuple>
        </presence>
        """);
  }

  @Test
  void nonUtf8GarbageBytes() {
    byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0x3c, 0x00, (byte) 0xc3, 0x28, (byte) 0x80};

    assertReason("Malformed PIDF: not valid UTF-8", garbage);
  }

  @Test
  void latin1BodyIsRefused() {
    byte[] latin1 =
        ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
                + "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\""
                + " entity=\"sip:ren\u00e9@example.com\"/>")
            .getBytes(ISO_8859_1);

    assertReason("Malformed PIDF: not valid UTF-8", latin1);
  }

  @Test
  void declaredEncodingOtherThanUtf8IsRefused() {
    assertReason(
        "Malformed PIDF: encoding must be UTF-8",
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
            + "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:alice@example.com\"/>");
  }

  @Test
  void xml11IsRefused() {
    // XML 1.1 allows characters (&#1;) that the XML 1.0 NOTIFY body could not carry.
    assertReason(
        "Malformed PIDF: XML version must be 1.0",
        "<?xml version=\"1.1\"?>"
            + "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:alice@example.com\"/>");
  }

  @Test
  void emptyBody() {
    assertReason("Malformed PIDF: empty body", new byte[0]);
  }

  @Test
  void byteOrderMarkIsAccepted() throws PidfException {
    byte[] body = ("\uFEFF" + new String(resource("minimal.xml"), UTF_8)).getBytes(UTF_8);

    assertEquals("sip:alice@example.com", parser.parse(body).entity());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedBodies")
  void everyReasonFitsAStatusLine(String name, byte[] body) {
    String reason = parseFails(body).reason();

    assertTrue(reason.length() < 100, reason);
    assertTrue(reason.chars().allMatch(c -> c >= 0x20 && c < 0x7f), reason);
  }

  static Stream<Arguments> refusedBodies() {
    return Stream.of(
        Arguments.of("billion laughs", resource("billion-laughs.xml")),
        Arguments.of("xxe", resource("xxe-passwd.xml")),
        Arguments.of("too large", new byte[MAX_BYTES + 1]),
        Arguments.of("too deep", nested(200).getBytes(UTF_8)),
        Arguments.of("garbage", new byte[] {(byte) 0xc0, (byte) 0xaf, 0x0d, 0x0a}),
        Arguments.of("not xml", "hello\r\nworld".getBytes(UTF_8)),
        Arguments.of(
            "truncated", "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\"".getBytes(UTF_8)));
  }

  @Test
  void exceptionCleansReasonsItIsGiven() {
    PidfException e = new PidfException("bad\r\nthing \u00e9" + "x".repeat(200));

    assertTrue(e.reason().startsWith("bad??thing ?x"), e.reason());
    assertEquals(99, e.reason().length());
  }

  @Test
  void limitsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new PidfParser(0, MAX_DEPTH));
    assertThrows(IllegalArgumentException.class, () -> new PidfParser(MAX_BYTES, 3));
  }

  @Test
  void oneParserServesManyThreads() throws Exception {
    byte[] cisco = resource("cisco-busy.xml");
    byte[] minimal = resource("minimal.xml");
    String expected =
        PidfComposer.compose(
            "sip:1001@example.com", List.of(parser.parse(minimal), parser.parse(cisco)));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<String>> tasks = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        tasks.add(
            () ->
                PidfComposer.compose(
                    "sip:1001@example.com", List.of(parser.parse(minimal), parser.parse(cisco))));
      }
      for (Future<String> result : pool.invokeAll(tasks)) {
        assertEquals(expected, result.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // --- helpers

  private PidfDocument parse(String xml) throws PidfException {
    return parser.parse(xml.getBytes(UTF_8));
  }

  private PidfException parseFails(byte[] body) {
    return assertThrows(PidfException.class, () -> parser.parse(body));
  }

  private void assertReason(String expected, String body) {
    assertReason(expected, body.getBytes(UTF_8));
  }

  private void assertReason(String expected, byte[] body) {
    assertEquals(expected, parseFails(body).reason());
  }

  private static String xmlOf(PidfElement e) {
    return e.xml;
  }

  private static boolean chainMentions(Throwable t, String needle) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (String.valueOf(c.getMessage()).contains(needle)) {
        return true;
      }
    }
    return false;
  }

  /** A valid presence holding one extension element {@code levels} deep (plus the root). */
  static String nested(int levels) {
    return "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:alice@example.com\">"
        + "<x xmlns=\"urn:example:deep\">"
        + "<x>".repeat(levels - 1)
        + "</x>".repeat(levels)
        + "</presence>";
  }

  static byte[] resource(String name) {
    try (InputStream in = PidfParserTest.class.getResourceAsStream("/pidf/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource pidf/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Fuzzing finding: a control character inside a DOCTYPE made the JDK's reader throw
   * MissingResourceException (its message for that error is missing) out of the parser, so the
   * PUBLISH got 500. Kept as {@code PidfFuzzTestInputs/parseAndCompose/crash-423a…}.
   */
  @Test
  void aControlCharacterInADoctypeIsNotWellFormed() {
    String body =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE presence [\n<!ENT\u0001ITY x \"y\">]>\n"
            + "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:a@b\"/>";

    PidfException e = assertThrows(PidfException.class, () -> parser.parse(body.getBytes(UTF_8)));

    assertTrue(e.getMessage().startsWith("Malformed PIDF: not well-formed XML"), e.getMessage());
  }
}
