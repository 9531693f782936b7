package dev.herald.presence.pidf;

import java.util.ArrayDeque;

/**
 * Escaping, shared by every document Herald writes (PIDF, watcher info), and the fragment
 * serializer shared by the PIDF parser and composer.
 */
public final class XmlWriter {
  private XmlWriter() {}

  /**
   * Serializes {@code root} and everything under it with the prefixes and namespace declarations it
   * had in the source, so the text is correct wherever the bindings it inherited are in scope.
   * Comments and processing instructions are not kept; whitespace-only text in element-only content
   * is dropped (it is layout, and NOTIFY bodies should stay small). Iterative, so depth is bounded
   * only by the parser's limit, not by the thread stack.
   *
   * @param usesInheritedDefault set to true when some unprefixed element in the fragment relies on
   *     a default namespace declared outside it
   */
  static String fragment(XmlNode root, boolean[] usesInheritedDefault) {
    StringBuilder out = new StringBuilder(128);
    ArrayDeque<XmlNode> open = new ArrayDeque<>();
    ArrayDeque<int[]> next = new ArrayDeque<>();
    int defaultDeclarations = 0;
    XmlNode start = root;
    while (true) {
      if (start != null) {
        boolean declaresDefault = start.declares("");
        if (declaresDefault) {
          defaultDeclarations++;
        }
        if (start.prefix.isEmpty() && defaultDeclarations == 0) {
          usesInheritedDefault[0] = true;
        }
        startTag(out, start);
        if (start.children.isEmpty()) {
          out.append("/>");
          if (declaresDefault) {
            defaultDeclarations--;
          }
        } else {
          out.append('>');
          open.push(start);
          next.push(new int[] {0});
        }
        start = null;
      }
      if (open.isEmpty()) {
        return out.toString();
      }
      XmlNode node = open.peek();
      int[] index = next.peek();
      if (index[0] < node.children.size()) {
        Object child = node.children.get(index[0]++);
        if (child instanceof XmlNode element) {
          start = element;
        } else if (!(node.dropsBlankText() && XmlNode.isBlank((String) child))) {
          text(out, (String) child);
        }
      } else {
        open.pop();
        next.pop();
        out.append("</").append(node.qualifiedName()).append('>');
        if (node.declares("")) {
          defaultDeclarations--;
        }
      }
    }
  }

  /** {@code <qname decls attrs} without the closing bracket. */
  static void startTag(StringBuilder out, XmlNode node) {
    out.append('<').append(node.qualifiedName());
    String[] d = node.declarations;
    for (int i = 0; i < d.length; i += 2) {
      declaration(out, d[i], d[i + 1]);
    }
    String[] a = node.attributes;
    for (int i = 0; i < a.length; i += 4) {
      out.append(' ');
      if (!a[i + 2].isEmpty()) {
        out.append(a[i + 2]).append(':');
      }
      out.append(a[i + 1]).append("=\"");
      attributeValue(out, a[i + 3]);
      out.append('"');
    }
  }

  static void declaration(StringBuilder out, String prefix, String uri) {
    out.append(prefix.isEmpty() ? " xmlns" : " xmlns:").append(prefix).append("=\"");
    attributeValue(out, uri);
    out.append('"');
  }

  /** Appends {@code s} as character data: {@code & < >} and CR escaped. */
  public static void text(StringBuilder out, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '\r' -> out.append("&#13;");
        default -> out.append(c);
      }
    }
  }

  /**
   * Appends {@code s} as the value of an attribute in double quotes: {@code & < > "} escaped, and
   * tab, LF and CR as references, or attribute-value normalization would turn them into spaces.
   */
  public static void attributeValue(StringBuilder out, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\t' -> out.append("&#9;");
        case '\n' -> out.append("&#10;");
        case '\r' -> out.append("&#13;");
        default -> out.append(c);
      }
    }
  }

  /** Whether every character of {@code s} is an XML 1.0 Char (XML 1.0 §2.2). */
  public static boolean isXmlText(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)
          || (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
          || c == 0xfffe
          || c == 0xffff) {
        return false;
      }
    }
    return true;
  }
}
