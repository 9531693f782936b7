package dev.herald.presence.pidf;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.herald.fixtures.fuzz.FuzzSeeds;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzz target of PIDF parsing and composition: arbitrary bytes as a PUBLISH body. Checked for every
 * input:
 *
 * <ul>
 *   <li>the parser returns a document or throws {@link PidfException} with a reason that fits a
 *       status line (one line, not empty), nothing else;
 *   <li>what the composers ({@link PidfComposer}, {@link TelephonyComposer} for a Cisco and another
 *       watcher) make of it, alone and next to a second publication, is a PIDF document that the
 *       same parser accepts;
 *   <li>composing is a fixed point: the composition of the re-parsed composition is the same
 *       document (same elements, namespaces, attributes and text; the order of the root's namespace
 *       declarations may differ, as it follows the order prefixes were met).
 * </ul>
 *
 * Work is bounded by the parser's limits (64 KiB, depth 32, as Herald's PUBLISH). Every build
 * replays the seeds (the SIPp scenarios' PIDF bodies and this package's test documents) and the
 * inputs kept in {@code PidfFuzzTestInputs/}; {@code scripts/fuzz} fuzzes it.
 */
class PidfFuzzTest {
  private static final String ENTITY = "sip:alice@herald.test";
  private static final PidfParser PARSER = new PidfParser(65_536, 32);
  // A composition carries the namespace declarations each element inherited: it can outgrow its
  // sources, never out-nest them.
  private static final PidfParser REPARSER = new PidfParser(1 << 22, 32);

  @MethodSource("seeds")
  @FuzzTest
  void parseAndCompose(byte[] body) {
    PidfDocument doc;
    try {
      doc = PARSER.parse(body);
    } catch (PidfException e) {
      String reason = e.getMessage();
      assertFalse(reason == null || reason.isBlank(), "empty reason");
      assertTrue(reason.chars().noneMatch(c -> c == '\r' || c == '\n'), reason);
      return;
    }
    PidfDocument other = reparse(PidfComposer.closed(ENTITY));
    for (String composed :
        List.of(
            PidfComposer.compose(ENTITY, List.of(doc)),
            PidfComposer.compose(ENTITY, List.of(other, doc)),
            PidfComposer.compose(ENTITY, List.of(doc, doc)),
            TelephonyComposer.compose(ENTITY, List.of(doc), d -> true, true),
            TelephonyComposer.compose(ENTITY, List.of(doc, other), d -> d == doc, false))) {
      PidfDocument again = reparse(composed);
      assertEquals(ENTITY, again.entity());
      String recomposed = PidfComposer.compose(ENTITY, List.of(again));
      assertEquals(
          canonical(composed),
          canonical(recomposed),
          () -> "composing the composition changed it:\n" + composed + "\n" + recomposed);
    }
  }

  private static PidfDocument reparse(String composed) {
    try {
      return REPARSER.parse(composed.getBytes(UTF_8));
    } catch (PidfException e) {
      return fail(e.getMessage() + " in the composition:\n" + composed, e);
    }
  }

  private static final XMLInputFactory XML = XMLInputFactory.newDefaultFactory();

  static {
    XML.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    XML.setProperty(XMLInputFactory.IS_COALESCING, true);
  }

  /**
   * The document as its parts in order: each element's namespace and name with its attributes
   * sorted, and the text that is not only whitespace. Prefixes and declarations are left out.
   */
  private static String canonical(String xml) {
    StringBuilder out = new StringBuilder();
    try {
      XMLStreamReader r = XML.createXMLStreamReader(new StringReader(xml));
      while (r.hasNext()) {
        switch (r.next()) {
          case XMLStreamConstants.START_ELEMENT -> {
            out.append("<{").append(r.getNamespaceURI()).append('}').append(r.getLocalName());
            TreeSet<String> attributes = new TreeSet<>();
            for (int i = 0; i < r.getAttributeCount(); i++) {
              attributes.add(
                  "{"
                      + r.getAttributeNamespace(i)
                      + "}"
                      + r.getAttributeLocalName(i)
                      + "="
                      + r.getAttributeValue(i));
            }
            out.append(attributes).append('>');
          }
          case XMLStreamConstants.END_ELEMENT -> out.append("</>");
          case XMLStreamConstants.CHARACTERS -> {
            if (!r.isWhiteSpace()) {
              out.append(r.getText());
            }
          }
          default -> {}
        }
      }
    } catch (XMLStreamException e) {
      return fail("not well-formed: " + e.getMessage() + "\n" + xml, e);
    }
    return out.toString();
  }

  static Stream<byte[]> seeds() {
    return Stream.concat(
        FuzzSeeds.pidfDocuments(),
        Stream.of("minimal.xml", "cisco-busy.xml", "billion-laughs.xml", "xxe-passwd.xml")
            .map(PidfFuzzTest::resource));
  }

  private static byte[] resource(String name) {
    try (InputStream in = PidfFuzzTest.class.getResourceAsStream("/pidf/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
