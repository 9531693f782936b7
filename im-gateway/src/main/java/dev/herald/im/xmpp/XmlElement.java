package dev.herald.im.xmpp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An XML element as XMPP uses it: a name in a namespace, attributes, and children that are elements
 * or text. Immutable; build one with {@link #builder}. No comments, processing instructions or
 * entity references: RFC 6120 §11.1 forbids them in a stream.
 *
 * <p>Attribute names are local names, except {@code xml:lang}, which keeps its prefix; attributes
 * in other namespaces are not kept.
 */
public final class XmlElement {

  private final String name;
  private final String namespace;
  private final Map<String, String> attributes;
  private final List<Object> children; // XmlElement or String

  private XmlElement(Builder builder) {
    this.name = builder.name;
    this.namespace = builder.namespace;
    this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(builder.attributes));
    this.children = List.copyOf(builder.children);
  }

  /** A builder of an element named {@code name} in {@code namespace} ("" for none). */
  public static Builder builder(String name, String namespace) {
    return new Builder(name, namespace);
  }

  public String name() {
    return name;
  }

  public String namespace() {
    return namespace;
  }

  public Map<String, String> attributes() {
    return attributes;
  }

  /** The attribute's value, or empty. */
  public Optional<String> attribute(String name) {
    return Optional.ofNullable(attributes.get(name));
  }

  /** The children, in order: each an {@link XmlElement} or a {@link String} of text. */
  public List<Object> children() {
    return children;
  }

  /** The child elements, in order. */
  public List<XmlElement> elements() {
    List<XmlElement> elements = new ArrayList<>();
    for (Object child : children) {
      if (child instanceof XmlElement element) {
        elements.add(element);
      }
    }
    return elements;
  }

  /** The first child element named {@code name} in {@code namespace}, or empty. */
  public Optional<XmlElement> element(String name, String namespace) {
    return elements().stream()
        .filter(e -> e.name.equals(name) && e.namespace.equals(namespace))
        .findFirst();
  }

  /** The text children, joined. */
  public String text() {
    StringBuilder text = new StringBuilder();
    for (Object child : children) {
      if (child instanceof String s) {
        text.append(s);
      }
    }
    return text.toString();
  }

  /** This element as XML, declaring its namespace. */
  public String toXml() {
    return toXml(null);
  }

  /**
   * This element as XML, declaring its namespace unless it is {@code inheritedNamespace}, the
   * default namespace where it is written (a stream's {@code jabber:component:accept}).
   */
  public String toXml(String inheritedNamespace) {
    StringBuilder xml = new StringBuilder(128);
    write(xml, inheritedNamespace);
    return xml.toString();
  }

  private void write(StringBuilder xml, String inherited) {
    xml.append('<').append(name);
    // With nothing inherited, an element in no namespace needs no declaration.
    if (!namespace.equals(inherited == null ? "" : inherited)) {
      xml.append(" xmlns='");
      escape(xml, namespace, true);
      xml.append('\'');
    }
    for (Map.Entry<String, String> attribute : attributes.entrySet()) {
      xml.append(' ').append(attribute.getKey()).append("='");
      escape(xml, attribute.getValue(), true);
      xml.append('\'');
    }
    if (children.isEmpty()) {
      xml.append("/>");
      return;
    }
    xml.append('>');
    for (Object child : children) {
      if (child instanceof XmlElement element) {
        element.write(xml, namespace);
      } else {
        escape(xml, (String) child, false);
      }
    }
    xml.append("</").append(name).append('>');
  }

  /**
   * Escapes markup; a character XML 1.0 cannot hold (a control character from a SIP MESSAGE body, a
   * lone surrogate) becomes U+FFFD, so whatever a SIP user sends, the stanza is well-formed: the
   * XMPP server closes the whole component stream on one that is not.
   */
  private static void escape(StringBuilder xml, String text, boolean attribute) {
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      switch (c) {
        case '<' -> xml.append("&lt;");
        case '>' -> xml.append("&gt;");
        case '&' -> xml.append("&amp;");
        case '\'' -> xml.append(attribute ? "&apos;" : "'");
        case '"' -> xml.append(attribute ? "&quot;" : "\"");
        default -> xml.appendCodePoint(isXmlChar(c) ? c : 0xFFFD);
      }
    }
  }

  /** XML 1.0's Char production (§2.2); a lone surrogate is none. */
  static boolean isXmlChar(int c) {
    return c == 0x9
        || c == 0xA
        || c == 0xD
        || (c >= 0x20 && c <= 0xD7FF)
        || (c >= 0xE000 && c <= 0xFFFD)
        || (c >= 0x10000 && c <= 0x10FFFF);
  }

  /** The first character of {@code text} that XML 1.0 cannot hold, or -1. */
  static int firstIllegal(String text) {
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (!isXmlChar(c)) {
        return c;
      }
      i += Character.charCount(c);
    }
    return -1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof XmlElement e
        && name.equals(e.name)
        && namespace.equals(e.namespace)
        && attributes.equals(e.attributes)
        && children.equals(e.children);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, namespace, attributes, children);
  }

  @Override
  public String toString() {
    return toXml();
  }

  /** Builds an {@link XmlElement}. */
  public static final class Builder {
    private final String name;
    private final String namespace;
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private final List<Object> children = new ArrayList<>();

    private Builder(String name, String namespace) {
      if (Objects.requireNonNull(name, "name").isEmpty()) {
        throw new IllegalArgumentException("an element needs a name");
      }
      this.name = name;
      this.namespace = Objects.requireNonNull(namespace, "namespace");
    }

    public Builder attribute(String name, String value) {
      attributes.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder child(XmlElement child) {
      children.add(Objects.requireNonNull(child, "child"));
      return this;
    }

    /** Adds text; next to text added before, it joins it, so equal documents compare equal. */
    public Builder text(String text) {
      Objects.requireNonNull(text, "text");
      if (text.isEmpty()) {
        return this;
      }
      int last = children.size() - 1;
      if (last >= 0 && children.get(last) instanceof String before) {
        children.set(last, before + text);
      } else {
        children.add(text);
      }
      return this;
    }

    public XmlElement build() {
      return new XmlElement(this);
    }
  }
}
