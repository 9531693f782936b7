package dev.herald.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;

/**
 * Checks the LDAP values of {@code directory.ldap}: server URLs, DNs (RFC 4514), attribute names
 * (RFC 4512 §2.5) and the user filter. Each check returns what is wrong, or null.
 */
final class LdapSyntax {

  /** An attribute name (keystring) or a numeric OID, RFC 4512 §1.4. */
  private static final Pattern ATTRIBUTE =
      Pattern.compile("[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\\.[0-9]+)+");

  /** The one place the user id goes in the user filter: an equality with {0}. */
  private static final Pattern ID_COMPARISON =
      Pattern.compile("\\(([A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\\.[0-9]+)+)=\\{0\\}\\)");

  private LdapSyntax() {}

  static String urlProblem(String text) {
    String expected = "must be an ldap:// or ldaps:// URL such as ldap://127.0.0.1:389";
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      return expected;
    }
    if (!"ldap".equals(uri.getScheme()) && !"ldaps".equals(uri.getScheme())) {
      return expected;
    }
    if (uri.getHost() == null) {
      return expected + " (no host)";
    }
    if (uri.getRawUserInfo() != null
        || (uri.getRawPath() != null
            && !uri.getRawPath().isEmpty()
            && !uri.getRawPath().equals("/"))
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      return expected + " (scheme, host and port only; the base DN is base-dn)";
    }
    if (uri.getPort() == 0 || uri.getPort() > 65_535) {
      return expected + " (port 1..65535)";
    }
    return null;
  }

  static String dnProblem(String text) {
    if (text.isEmpty()) {
      return "must be a distinguished name such as ou=people,dc=example,dc=org";
    }
    try {
      new LdapName(text);
      return null;
    } catch (InvalidNameException | IllegalArgumentException e) {
      return "must be a distinguished name such as ou=people,dc=example,dc=org";
    }
  }

  static String attributeProblem(String text) {
    return ATTRIBUTE.matcher(text).matches()
        ? null
        : "must be an LDAP attribute name such as sipAddress";
  }

  /**
   * The filter must be parenthesised with balanced parentheses, and hold {0} exactly once, as an
   * equality {@code (attribute={0})}: that attribute is the user's id, read back from entries found
   * by address.
   */
  static String filterProblem(String text) {
    String expected = "must be an LDAP filter that compares one attribute with {0}, as (uid={0})";
    if (!text.startsWith("(") || !text.endsWith(")") || !balanced(text)) {
      return expected;
    }
    if (text.indexOf("{0}") < 0 || text.indexOf("{0}") != text.lastIndexOf("{0}")) {
      return expected + "; {0} must appear exactly once";
    }
    return ID_COMPARISON.matcher(text).find() ? null : expected;
  }

  /** The attribute a valid filter compares with {0}. */
  static String idAttribute(String filter) {
    Matcher matcher = ID_COMPARISON.matcher(filter);
    if (!matcher.find()) {
      throw new IllegalArgumentException("no (attribute={0}) in " + filter);
    }
    return matcher.group(1);
  }

  /**
   * Whether the parentheses pair up into one outer pair. In a filter, a parenthesis inside a value
   * is escaped as {@code \28} or {@code \29} (RFC 4515 §3), so every one here is structure.
   */
  private static boolean balanced(String text) {
    int depth = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (depth < 0 || (depth == 0 && i < text.length() - 1)) {
        return false;
      }
    }
    return depth == 0;
  }
}
