package dev.herald.presence.pidf;

import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Checks a PUBLISH body and turns it into a {@link PidfDocument}. Thread-safe: one instance can
 * serve every thread.
 *
 * <p>Refused, each with a {@link PidfException} whose message fits a 400 reason phrase: bodies over
 * the size limit (before any parsing), anything but well-formed UTF-8 XML 1.0, any DOCTYPE (so no
 * entity expansion and no external entities, files or URLs), nesting deeper than the depth limit,
 * and documents that break RFC 3863 §4: a root other than pidf {@code presence}, no {@code entity},
 * a tuple without {@code id} or {@code status}, a repeated tuple id, a {@code basic} other than
 * {@code open} or {@code closed}.
 */
public final class PidfParser {
  /*
   * Design note. StAX from the JDK itself (XMLInputFactory.newDefaultFactory), never a provider
   * found on the class path: another module may bring Aalto or Woodstox, with other defaults. One
   * factory per thread, because the StAX factory contract does not promise thread safety (a new
   * factory per call cost about a fifth of the parse time). The body is decoded to a String first
   * with a strict UTF-8 decoder, so a bad byte is an error rather than a replacement character,
   * and a declared encoding cannot change how bytes are read. The reader reports a DOCTYPE as one
   * DTD event before any element and, with DTD support off, expands nothing and loads nothing;
   * the parse stops there. The tree is built with an explicit stack and depth is counted per start
   * tag, so a deep body fails on the limit, not on the thread stack.
   */

  private static final int MIN_DEPTH = 4; // presence / tuple / status / basic
  private static final ThreadLocal<XMLInputFactory> FACTORY =
      ThreadLocal.withInitial(PidfParser::newFactory);

  private final int maxBytes;
  private final int maxDepth;

  /**
   * @param maxBytes largest body accepted, in bytes
   * @param maxDepth deepest element nesting accepted, counting the root as 1; at least 4
   * @throws IllegalArgumentException if a limit is out of range
   */
  public PidfParser(int maxBytes, int maxDepth) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
    }
    if (maxDepth < MIN_DEPTH) {
      throw new IllegalArgumentException(
          "maxDepth must be at least "
              + MIN_DEPTH
              + " (presence/tuple/status/basic), was "
              + maxDepth);
    }
    this.maxBytes = maxBytes;
    this.maxDepth = maxDepth;
  }

  /** Parses and checks one body ({@code application/pidf+xml}). */
  public PidfDocument parse(byte[] body) throws PidfException {
    if (body.length > maxBytes) {
      throw new PidfException(
          "PIDF document too large (" + body.length + " > " + maxBytes + " bytes)");
    }
    if (body.length == 0) {
      throw new PidfException("Malformed PIDF: empty body");
    }
    return build(readTree(decodeUtf8(body)));
  }

  private static String decodeUtf8(byte[] body) throws PidfException {
    try {
      return XmlInput.utf8(body);
    } catch (CharacterCodingException e) {
      throw new PidfException("Malformed PIDF: not valid UTF-8", e);
    }
  }

  private static XMLInputFactory newFactory() {
    return XmlInput.hardenedFactory();
  }

  private XmlNode readTree(String text) throws PidfException {
    try {
      XMLStreamReader reader = FACTORY.get().createXMLStreamReader(new StringReader(text));
      String encoding = reader.getCharacterEncodingScheme();
      if (encoding != null && !encoding.equalsIgnoreCase("UTF-8")) {
        throw new PidfException("Malformed PIDF: encoding must be UTF-8");
      }
      String version = reader.getVersion();
      if (version != null && !version.equals("1.0")) {
        throw new PidfException("Malformed PIDF: XML version must be 1.0");
      }
      ArrayDeque<XmlNode> open = new ArrayDeque<>();
      XmlNode root = null;
      while (reader.hasNext()) {
        switch (next(reader)) {
          case XMLStreamConstants.DTD ->
              throw new PidfException("Malformed PIDF: DOCTYPE not allowed");
          case XMLStreamConstants.START_ELEMENT -> {
            if (open.size() >= maxDepth) {
              throw new PidfException("Malformed PIDF: elements nested deeper than " + maxDepth);
            }
            XmlNode node = node(reader);
            if (open.isEmpty()) {
              if (!node.namespaceUri.equals(PidfDocument.PIDF_NS)
                  || !node.localName.equals("presence")) {
                throw new PidfException("Malformed PIDF: root element is not pidf presence");
              }
              root = node;
            } else {
              open.peek().addChild(node);
            }
            open.push(node);
          }
          case XMLStreamConstants.END_ELEMENT -> open.pop();
          case XMLStreamConstants.CHARACTERS,
              XMLStreamConstants.CDATA,
              XMLStreamConstants.SPACE -> {
            if (!open.isEmpty()) {
              open.peek().addText(reader.getText());
            }
          }
          case XMLStreamConstants.ENTITY_REFERENCE ->
              throw new PidfException("Malformed PIDF: entity reference not allowed");
          default -> {
            // comments, processing instructions, end of document: nothing to keep
          }
        }
      }
      reader.close(); // on failure it is simply dropped: it holds nothing but memory
      if (root == null) {
        throw new PidfException("Malformed PIDF: no root element");
      }
      return root;
    } catch (XMLStreamException e) {
      throw new PidfException(notWellFormed(e.getLocation()), e);
    }
  }

  /*
   * The JDK's reader reports some malformed input unchecked: a control character inside a DOCTYPE
   * (which it scans to skip it, with DTD support off) ends in MissingResourceException, its message
   * key for that error being missing (fuzzing finding, README "Fuzzing"). It is still the body's
   * fault, so it is the same 400 as any XML that is not well-formed.
   */
  private static int next(XMLStreamReader reader) throws XMLStreamException {
    try {
      return reader.next();
    } catch (RuntimeException e) {
      throw new XMLStreamException(e.toString(), reader.getLocation(), e);
    }
  }

  // The parser's own message may quote the body; the reason phrase gives the line only.
  private static String notWellFormed(Location location) {
    int line = location == null ? -1 : location.getLineNumber();
    return line > 0
        ? "Malformed PIDF: not well-formed XML at line " + line
        : "Malformed PIDF: not well-formed XML";
  }

  private static XmlNode node(XMLStreamReader reader) {
    int declarationCount = reader.getNamespaceCount();
    String[] declarations = new String[2 * declarationCount];
    for (int i = 0; i < declarationCount; i++) {
      declarations[2 * i] = nonNull(reader.getNamespacePrefix(i));
      declarations[2 * i + 1] = nonNull(reader.getNamespaceURI(i));
    }
    int attributeCount = reader.getAttributeCount();
    String[] attributes = new String[4 * attributeCount];
    for (int i = 0; i < attributeCount; i++) {
      attributes[4 * i] = nonNull(reader.getAttributeNamespace(i));
      attributes[4 * i + 1] = reader.getAttributeLocalName(i);
      attributes[4 * i + 2] = nonNull(reader.getAttributePrefix(i));
      attributes[4 * i + 3] = reader.getAttributeValue(i);
    }
    return new XmlNode(
        nonNull(reader.getNamespaceURI()),
        reader.getLocalName(),
        nonNull(reader.getPrefix()),
        declarations,
        attributes);
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  private static PidfDocument build(XmlNode root) throws PidfException {
    String entity = root.attribute("", "entity");
    if (entity == null || entity.isEmpty()) {
      throw new PidfException("Malformed PIDF: presence without entity");
    }
    Map<String, String> scope = withDeclarations(Map.of(), root);
    List<PidfTuple> tuples = new ArrayList<>();
    List<PidfElement> persons = new ArrayList<>();
    List<PidfElement> devices = new ArrayList<>();
    List<PidfElement> notes = new ArrayList<>();
    List<PidfElement> extensions = new ArrayList<>();
    Set<String> tupleIds = new HashSet<>();
    PhoneState phone = PhoneState.NONE;
    for (Object child : root.children) {
      if (!(child instanceof XmlNode node)) {
        continue; // text directly under presence has no meaning (RFC 3863 schema)
      }
      if (isPidf(node, "tuple")) {
        PidfTuple tuple = tuple(node, scope);
        if (!tupleIds.add(tuple.id())) {
          throw new PidfException("Malformed PIDF: duplicate tuple id");
        }
        tuples.add(tuple);
      } else if (isPidf(node, "note")) {
        notes.add(PidfElement.of(node, scope));
      } else if (isDataModel(node, "person")) {
        persons.add(person(node, scope));
        phone = phone.max(phoneState(node));
      } else if (isDataModel(node, "device")) {
        devices.add(PidfElement.of(node, scope));
      } else {
        extensions.add(PidfElement.of(node, scope));
      }
    }
    return new PidfDocument(entity, tuples, persons, devices, notes, extensions, phone);
  }

  /** The strongest phone state a person's activities or Cisco children give. */
  private static PhoneState phoneState(XmlNode person) {
    PhoneState state = PhoneState.NONE;
    for (Object child : person.children) {
      if (!(child instanceof XmlNode node)) {
        continue;
      }
      if (node.namespaceUri.equals(PidfDocument.RPID_NS) && node.localName.equals("activities")) {
        for (Object activity : node.children) {
          if (activity instanceof XmlNode a) {
            state = state.max(PhoneState.of(a.namespaceUri, a.localName));
          }
        }
      } else {
        state = state.max(PhoneState.of(node.namespaceUri, node.localName));
      }
    }
    return state;
  }

  private static PidfTuple tuple(XmlNode node, Map<String, String> scope) throws PidfException {
    String id = node.attribute("", "id");
    if (id == null || id.isEmpty()) {
      throw new PidfException("Malformed PIDF: tuple without id");
    }
    XmlNode status = node.child(PidfDocument.PIDF_NS, "status");
    if (status == null) {
      throw new PidfException("Malformed PIDF: tuple without status");
    }
    XmlNode basicNode = status.child(PidfDocument.PIDF_NS, "basic");
    String basic = null;
    if (basicNode != null) {
      basic = basicNode.text().strip();
      if (!basic.equals("open") && !basic.equals("closed")) {
        throw new PidfException("Malformed PIDF: basic must be open or closed");
      }
    }
    return new PidfTuple(id, basic, PidfElement.of(node, scope));
  }

  private static PidfElement person(XmlNode node, Map<String, String> scope) {
    Map<String, String> inner = withDeclarations(scope, node);
    List<PidfElement> children = new ArrayList<>();
    for (Object child : node.children) {
      if (child instanceof XmlNode element) {
        children.add(PidfElement.of(element, inner));
      }
    }
    return PidfElement.person(node, scope, children);
  }

  /** {@code outer} overlaid with the declarations {@code node} makes; "xml" is never declared. */
  private static Map<String, String> withDeclarations(Map<String, String> outer, XmlNode node) {
    Map<String, String> scope = new LinkedHashMap<>(outer);
    String[] d = node.declarations;
    for (int i = 0; i < d.length; i += 2) {
      if (!d[i].equals("xml")) {
        scope.put(d[i], d[i + 1]);
      }
    }
    return scope;
  }

  private static boolean isPidf(XmlNode node, String localName) {
    return node.namespaceUri.equals(PidfDocument.PIDF_NS) && node.localName.equals(localName);
  }

  private static boolean isDataModel(XmlNode node, String localName) {
    return node.namespaceUri.equals(PidfDocument.DATA_MODEL_NS) && node.localName.equals(localName);
  }
}
