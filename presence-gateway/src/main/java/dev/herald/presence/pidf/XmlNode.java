package dev.herald.presence.pidf;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One element of a body being parsed. Lives only inside {@link PidfParser#parse}: it is mutable,
 * never shared, and dropped once the body has been cut into {@link PidfElement}s.
 */
final class XmlNode {
  final String namespaceUri;
  final String localName;
  final String prefix;

  /** Namespace declarations made on this element: prefix, URI, prefix, URI, ... ("" = default). */
  final String[] declarations;

  /** Attributes: namespace URI, local name, prefix, value, repeated. */
  final String[] attributes;

  /** {@link XmlNode} or {@link String} (adjacent text already joined). */
  final List<Object> children = new ArrayList<>(2);

  boolean hasElementChild;
  boolean hasNonBlankText;

  XmlNode(
      String namespaceUri,
      String localName,
      String prefix,
      String[] declarations,
      String[] attributes) {
    this.namespaceUri = namespaceUri;
    this.localName = localName;
    this.prefix = prefix;
    this.declarations = declarations;
    this.attributes = attributes;
  }

  String qualifiedName() {
    return prefix.isEmpty() ? localName : prefix + ':' + localName;
  }

  void addChild(XmlNode child) {
    children.add(child);
    hasElementChild = true;
  }

  void addText(String text) {
    int last = children.size() - 1;
    if (last >= 0 && children.get(last) instanceof String previous) {
      children.set(last, previous + text);
    } else {
      children.add(text);
    }
    if (!isBlank(text)) {
      hasNonBlankText = true;
    }
  }

  /** The value of an attribute, or null. Unprefixed attributes have namespace "". */
  String attribute(String namespace, String local) {
    for (int i = 0; i < attributes.length; i += 4) {
      if (attributes[i].equals(namespace) && attributes[i + 1].equals(local)) {
        return attributes[i + 3];
      }
    }
    return null;
  }

  /** The first child element with this name, or null. */
  XmlNode child(String namespace, String local) {
    for (Object c : children) {
      if (c instanceof XmlNode n && n.namespaceUri.equals(namespace) && n.localName.equals(local)) {
        return n;
      }
    }
    return null;
  }

  boolean declares(String declaredPrefix) {
    for (int i = 0; i < declarations.length; i += 2) {
      if (declarations[i].equals(declaredPrefix)) {
        return true;
      }
    }
    return false;
  }

  /** All descendant text in document order (iterative: depth is bounded only by the parser). */
  String text() {
    StringBuilder out = new StringBuilder();
    ArrayDeque<Object> pending = new ArrayDeque<>();
    pending.push(this);
    while (!pending.isEmpty()) {
      Object o = pending.pop();
      if (o instanceof String s) {
        out.append(s);
      } else {
        List<Object> kids = ((XmlNode) o).children;
        for (int i = kids.size() - 1; i >= 0; i--) {
          pending.push(kids.get(i));
        }
      }
    }
    return out.toString();
  }

  /**
   * Whether whitespace-only text among this element's children is layout, not content: the element
   * has child elements and no other text (element-only content).
   */
  boolean dropsBlankText() {
    return hasElementChild && !hasNonBlankText;
  }

  static boolean isBlank(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return false;
      }
    }
    return true;
  }
}
