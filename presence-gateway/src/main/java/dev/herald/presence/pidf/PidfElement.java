package dev.herald.presence.pidf;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One element of a PIDF document as published: a person, device, note, extension, or a child of a
 * person. Immutable; it keeps the element as serialized XML, so it can be read from any thread.
 */
public final class PidfElement {
  static final String XML_NS = "http://www.w3.org/XML/1998/namespace";

  private final String namespaceUri;
  private final String localName;
  private final String id;
  private final String text;
  private final String lang;

  /** The element as it was published, with only the namespace declarations it made itself. */
  final String xml;

  /** Where declarations can be inserted into {@link #xml}: right after {@code <qname}. */
  final int insertAt;

  /**
   * Bindings the element relies on from its ancestors: prefix, URI, ... ("" = default, and a
   * default of "" means no default namespace). Never modified after construction.
   */
  final String[] inherited;

  /** For a person: what composition needs to rebuild it. Null otherwise. */
  final PersonParts person;

  /** The start and end tag of a person and its children, for RFC 4479 person composition. */
  static final class PersonParts {
    /** {@code <qname decls attrs>}; declarations go in at {@link PidfElement#insertAt}. */
    final String startTag;

    final String endTag;

    /** Declarations the person makes itself: prefix, URI, ... */
    final String[] declarations;

    final List<PidfElement> children;

    PersonParts(String startTag, String endTag, String[] declarations, List<PidfElement> children) {
      this.startTag = startTag;
      this.endTag = endTag;
      this.declarations = declarations;
      this.children = List.copyOf(children);
    }
  }

  private PidfElement(
      XmlNode node,
      String xml,
      boolean usesDefault,
      Map<String, String> scope,
      PersonParts person) {
    this.namespaceUri = node.namespaceUri;
    this.localName = node.localName;
    this.id = node.attribute("", "id");
    this.text = node.text();
    this.lang = node.attribute(XML_NS, "lang");
    this.xml = xml;
    this.insertAt = 1 + node.qualifiedName().length();
    this.inherited = inheritedBindings(node, scope, usesDefault);
    this.person = person;
  }

  /**
   * Cuts {@code node} out of its document.
   *
   * @param scope the namespace bindings in force at the node's parent (prefix to URI)
   */
  static PidfElement of(XmlNode node, Map<String, String> scope) {
    return of(node, scope, null);
  }

  /** Like {@link #of}, for an RFC 4479 person whose children were cut out already. */
  static PidfElement person(XmlNode node, Map<String, String> scope, List<PidfElement> children) {
    StringBuilder start = new StringBuilder(64);
    XmlWriter.startTag(start, node);
    start.append('>');
    PersonParts parts =
        new PersonParts(
            start.toString(), "</" + node.qualifiedName() + '>', node.declarations, children);
    return of(node, scope, parts);
  }

  private static PidfElement of(XmlNode node, Map<String, String> scope, PersonParts person) {
    boolean[] usesDefault = new boolean[1];
    String xml = XmlWriter.fragment(node, usesDefault);
    return new PidfElement(node, xml, usesDefault[0], scope, person);
  }

  private static String[] inheritedBindings(
      XmlNode node, Map<String, String> scope, boolean usesDefault) {
    String[] out = new String[2 * (scope.size() + 1)];
    int n = 0;
    for (Map.Entry<String, String> e : scope.entrySet()) {
      String prefix = e.getKey();
      if (!prefix.isEmpty() && !node.declares(prefix)) {
        out[n++] = prefix;
        out[n++] = e.getValue();
      }
    }
    if (usesDefault) {
      out[n++] = "";
      out[n++] = scope.getOrDefault("", "");
    }
    return Arrays.copyOf(out, n);
  }

  public String namespaceUri() {
    return namespaceUri;
  }

  public String localName() {
    return localName;
  }

  /** The unqualified {@code id} attribute (RFC 4479 person and device ids), if any. */
  public Optional<String> id() {
    return Optional.ofNullable(id);
  }

  /** All text inside the element, in document order (for a note: the note). */
  public String text() {
    return text;
  }

  /** The {@code xml:lang} attribute, or null. */
  String lang() {
    return lang;
  }

  /**
   * The element as a standalone XML fragment: as published, plus declarations of the namespace
   * bindings it inherited from its ancestors.
   */
  public String toXml() {
    StringBuilder out = new StringBuilder(xml.length() + 64 * inherited.length / 2);
    out.append(xml, 0, insertAt);
    for (int i = 0; i < inherited.length; i += 2) {
      XmlWriter.declaration(out, inherited[i], inherited[i + 1]);
    }
    return out.append(xml, insertAt, xml.length()).toString();
  }

  @Override
  public String toString() {
    return toXml();
  }
}
