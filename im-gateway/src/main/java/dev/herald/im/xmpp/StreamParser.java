package dev.herald.im.xmpp;

import com.fasterxml.aalto.AsyncByteArrayFeeder;
import com.fasterxml.aalto.AsyncXMLInputFactory;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.UncheckedStreamException;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;

/*
 * Design note. Aalto's async reader is fed whatever bytes arrived and returns EVENT_INCOMPLETE
 * when it needs more, so a stanza split across reads, down to one byte per read, comes out whole
 * without a thread waiting for the rest. The parser keeps the open elements of the stanza being
 * read on a stack of builders; when the top-level one ends, the stanza goes to the handler.
 *
 * Limits: the depth of a stanza, and its size counted in bytes from the end of the last thing the
 * stream completed (a stanza, whitespace between stanzas or the stream header) to where the reader
 * has got, plus what it holds unread. So an attacker cannot make us buffer a huge attribute value
 * that yields no event. RFC 6120 §11.1 restricted XML: no DTD, comments, processing instructions
 * or entity references; Aalto itself refuses an undeclared entity.
 *
 * Not thread-safe: one parser per connection, fed by one MINA I/O thread at a time.
 */

/** Parses one XMPP stream, fed in arbitrary chunks; reports the header, stanzas and the end. */
final class StreamParser {

  /** What the stream yields, in order. */
  interface Handler {
    /** The stream header's attributes ({@code id}, {@code from}, ...), by local name. */
    void streamOpened(Map<String, String> attributes) throws XmppStreamException;

    /** A complete top-level element. */
    void stanza(XmlElement stanza) throws XmppStreamException;

    /** The peer's {@code </stream:stream>}. */
    void streamClosed() throws XmppStreamException;
  }

  static final String STREAMS_NAMESPACE = "http://etherx.jabber.org/streams";

  private static final AsyncXMLInputFactory FACTORY = factory();

  private final AsyncXMLStreamReader<AsyncByteArrayFeeder> reader =
      FACTORY.createAsyncForByteArray();
  private final Handler handler;
  private final int maxStanzaBytes;
  private final int maxDepth;
  private final Deque<XmlElement.Builder> open = new ArrayDeque<>();
  private boolean streamOpen;
  private long fed;
  private long boundary;

  /**
   * @param maxStanzaBytes the most bytes one stanza may take on the wire
   * @param maxDepth the most levels of elements one stanza may nest, itself included
   */
  StreamParser(Handler handler, int maxStanzaBytes, int maxDepth) {
    this.handler = handler;
    this.maxStanzaBytes = maxStanzaBytes;
    this.maxDepth = maxDepth;
  }

  private static AsyncXMLInputFactory factory() {
    AsyncXMLInputFactory factory = new InputFactoryImpl();
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    factory.setProperty(XMLInputFactory.IS_COALESCING, false);
    return factory;
  }

  /** Parses {@code length} bytes of {@code bytes} from {@code offset}, reporting what completes. */
  void feed(byte[] bytes, int offset, int length) throws XmppStreamException {
    try {
      reader.getInputFeeder().feedInput(bytes, offset, length);
      fed += length;
      int event;
      while ((event = next()) != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
        handle(event);
      }
    } catch (XMLStreamException e) {
      throw notWellFormed(e);
    }
    if (fed - boundary > maxStanzaBytes) {
      throw tooLarge();
    }
  }

  /*
   * Aalto reports some malformed input unchecked (fuzzing findings, README "Fuzzing"): a byte that
   * is not UTF-8 in text, found when getText() decodes it lazily, comes as UncheckedStreamException
   * around the XMLStreamException; an element named xmlns:x as a bare RuntimeException from its
   * namespace table. Both are the peer's bad XML, so both become not-well-formed, caught here
   * around the reader's own calls only: a RuntimeException from the handler stays a bug.
   */
  private int next() throws XmppStreamException, XMLStreamException {
    try {
      return reader.next();
    } catch (UncheckedStreamException e) {
      throw notWellFormed(e.getCause() instanceof XMLStreamException x ? x : e);
    } catch (RuntimeException e) {
      throw notWellFormed(e);
    }
  }

  private String text() throws XmppStreamException {
    try {
      return legal(reader.getText());
    } catch (UncheckedStreamException e) {
      throw notWellFormed(e.getCause() instanceof XMLStreamException x ? x : e);
    } catch (RuntimeException e) {
      throw notWellFormed(e);
    }
  }

  /**
   * {@code text}, when XML 1.0 can hold every character of it. Aalto decodes an overlong UTF-8
   * sequence without complaint (fuzzing finding: C0 96 became U+0016 in a body), and a stanza
   * holding such a character could not be written again as XML.
   */
  private static String legal(String text) throws XmppStreamException {
    int c = XmlElement.firstIllegal(text);
    if (c >= 0) {
      throw new XmppStreamException(
          "not-well-formed",
          String.format(
              "the stream holds U+%04X, a character XML 1.0 does not allow (or bytes that are not"
                  + " UTF-8)",
              c));
    }
    return text;
  }

  private static XmppStreamException notWellFormed(Exception e) {
    return new XmppStreamException(
        "not-well-formed", "the stream is not well-formed XML: " + e.getMessage(), e);
  }

  private XmppStreamException tooLarge() {
    return new XmppStreamException(
        "policy-violation", "a stanza is larger than " + maxStanzaBytes + " bytes");
  }

  private void handle(int event) throws XMLStreamException, XmppStreamException {
    switch (event) {
      case XMLStreamConstants.START_DOCUMENT -> {}
      case XMLStreamConstants.START_ELEMENT -> startElement();
      case XMLStreamConstants.END_ELEMENT -> endElement();
      case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
        if (open.isEmpty()) {
          // Whitespace between stanzas (a keep-alive) completes nothing, but nothing is pending.
          markBoundary();
        } else {
          open.peek().text(text());
        }
      }
      case XMLStreamConstants.DTD -> throw restricted("a DTD");
      case XMLStreamConstants.COMMENT -> throw restricted("a comment");
      case XMLStreamConstants.PROCESSING_INSTRUCTION ->
          throw restricted("a processing instruction");
      case XMLStreamConstants.ENTITY_REFERENCE -> throw restricted("an entity reference");
      case XMLStreamConstants.END_DOCUMENT -> {}
      default -> throw restricted("XML event " + event);
    }
  }

  private void startElement() throws XmppStreamException {
    if (reader.getLocalName().isEmpty()) {
      // Aalto takes "<stream:>" for an element with an empty local name (fuzzing finding);
      // Namespaces in XML §3 requires one.
      throw new XmppStreamException(
          "not-well-formed", "an element name has an empty local part after its prefix");
    }
    if (!streamOpen) {
      if (!"stream".equals(reader.getLocalName())
          || !STREAMS_NAMESPACE.equals(reader.getNamespaceURI())) {
        throw new XmppStreamException(
            "invalid-namespace",
            "the stream starts with " + reader.getName() + ", not stream:stream");
      }
      streamOpen = true;
      markBoundary();
      handler.streamOpened(attributes());
      return;
    }
    if (open.size() >= maxDepth) {
      throw new XmppStreamException(
          "policy-violation", "a stanza nests deeper than " + maxDepth + " elements");
    }
    String namespace = reader.getNamespaceURI();
    XmlElement.Builder element =
        XmlElement.builder(reader.getLocalName(), namespace == null ? "" : legal(namespace));
    attributes().forEach(element::attribute);
    open.push(element);
  }

  private void endElement() throws XmppStreamException {
    if (open.isEmpty()) {
      streamOpen = false;
      markBoundary();
      handler.streamClosed();
      return;
    }
    XmlElement element = open.pop().build();
    if (open.isEmpty()) {
      long start = boundary;
      markBoundary();
      if (boundary - start > maxStanzaBytes) {
        throw tooLarge();
      }
      handler.stanza(element);
    } else {
      open.peek().child(element);
    }
  }

  private Map<String, String> attributes() throws XmppStreamException {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = 0; i < reader.getAttributeCount(); i++) {
      String namespace = reader.getAttributeNamespace(i);
      String name = reader.getAttributeLocalName(i);
      if (name.isEmpty()) {
        throw new XmppStreamException(
            "not-well-formed", "an attribute name has an empty local part after its prefix");
      }
      if (namespace == null || namespace.isEmpty()) {
        attributes.put(name, legal(reader.getAttributeValue(i)));
      } else if (XMLConstants.XML_NS_URI.equals(namespace)) {
        attributes.put("xml:" + name, legal(reader.getAttributeValue(i)));
      }
    }
    return attributes;
  }

  /** Everything fed up to the reader's position is complete. */
  private void markBoundary() throws XmppStreamException {
    try {
      // Fuzzing finding: fed in some chunkings, Aalto's ending offset can come out below an
      // earlier one (a 2,276-byte input was then "a stanza larger than 4096 bytes"). A boundary
      // only moves forward, and never past what was fed.
      long end = reader.getLocationInfo().getEndingByteOffset();
      if (end > boundary) {
        boundary = Math.min(end, fed);
      }
    } catch (XMLStreamException e) {
      throw new XmppStreamException("not-well-formed", e.getMessage(), e);
    }
  }

  private static XmppStreamException restricted(String what) {
    return new XmppStreamException(
        "restricted-xml", "the stream holds " + what + ", which RFC 6120 §11.1 forbids");
  }

  /** Frees the reader's buffers. */
  void close() {
    try {
      reader.close();
    } catch (XMLStreamException e) {
      // Nothing is left to read; closing only drops buffers.
    }
  }
}
