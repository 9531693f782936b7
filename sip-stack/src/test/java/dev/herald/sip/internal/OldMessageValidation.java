package dev.herald.sip.internal;

import dev.herald.sip.Rejection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sip.message.Response;

/**
 * {@link MessageValidation#inspect(byte[])} as it was before it read the bytes in place (commit
 * 0110231): the header section decoded to a String, split into lines, folded into a list of
 * headers, then a HashMap count of single-instance headers and regular expressions for the
 * Request-Line and display names. Kept, unchanged but for what {@code inspect} does not need and
 * the helpers the rewrite left as they were (headerSectionEnd, isIpv6: called in
 * MessageValidation), as the reference {@link MessageValidationEquivalenceTest} holds the byte
 * scanner to: it allocated several objects per header line, which is why it was replaced, but its
 * answers are the rules.
 */
final class OldMessageValidation {
  private OldMessageValidation() {}

  private static final Map<String, String> SINGLE =
      Map.ofEntries(
          Map.entry("to", "To"),
          Map.entry("t", "To"),
          Map.entry("from", "From"),
          Map.entry("f", "From"),
          Map.entry("call-id", "Call-ID"),
          Map.entry("i", "Call-ID"),
          Map.entry("cseq", "CSeq"),
          Map.entry("max-forwards", "Max-Forwards"),
          Map.entry("content-length", "Content-Length"),
          Map.entry("l", "Content-Length"),
          Map.entry("content-type", "Content-Type"),
          Map.entry("c", "Content-Type"),
          Map.entry("expires", "Expires"));

  private static final Map<String, String> ADDRESS_NAMES =
      Map.of(
          "to", "To", "t", "To", "from", "From", "f", "From", "contact", "Contact", "m", "Contact");

  private static final Pattern DISPLAY_TOKENS =
      Pattern.compile("[ \\t]*([A-Za-z0-9.!%*_+`'~-]+[ \\t]*)*");

  private static final Pattern REQUEST_LINE =
      Pattern.compile("[^ \\t\\r\\n]+ [^ \\t\\r\\n]+ [^ \\t\\r\\n]+");

  static Optional<Rejection> inspect(byte[] message) {
    return problemInBytes(message)
        .map(p -> p.startsWith("SIP/") ? versionNotSupported(p) : badRequest(p));
  }

  private static Rejection badRequest(String problem) {
    return Rejection.of(Response.BAD_REQUEST, "Bad Request (" + problem + ")");
  }

  private static Rejection versionNotSupported(String version) {
    return Rejection.of(Response.VERSION_NOT_SUPPORTED, "Version Not Supported (" + version + ")");
  }

  private static Optional<String> problemInBytes(byte[] message) {
    String[] lines =
        new String(
                message,
                0,
                MessageValidation.headerSectionEnd(message),
                StandardCharsets.ISO_8859_1)
            .split("\n", -1);
    int i = 0;
    while (i < lines.length && stripCr(lines[i]).isEmpty()) {
      i++;
    }
    if (i == lines.length) {
      return Optional.empty();
    }
    String startLine = stripCr(lines[i]);
    if (startLine.startsWith("SIP/")) {
      return Optional.empty();
    }
    if (!REQUEST_LINE.matcher(startLine).matches()) {
      return Optional.of("Request-Line must be method, URI and version separated by single spaces");
    }
    String version = startLine.substring(startLine.lastIndexOf(' ') + 1);
    if (!version.equals("SIP/2.0")) {
      return Optional.of(version.startsWith("SIP/") ? version : "SIP version missing");
    }
    String uri = startLine.substring(startLine.indexOf(' ') + 1, startLine.lastIndexOf(' '));
    Optional<String> host = requestUriHost(uri);
    if (host.isPresent()) {
      return host;
    }
    List<String> headers = new ArrayList<>();
    for (i++; i < lines.length; i++) {
      String line = stripCr(lines[i]);
      if (line.isEmpty()) {
        break;
      }
      if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !headers.isEmpty()) {
        headers.set(headers.size() - 1, headers.get(headers.size() - 1) + ' ' + line.strip());
      } else {
        headers.add(line);
      }
    }
    Optional<String> duplicate = duplicateHeader(headers);
    return duplicate.isPresent() ? duplicate : addressSyntax(headers);
  }

  private static String stripCr(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  private static Optional<String> requestUriHost(String uri) {
    String lower = uri.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("sip:") && !lower.startsWith("sips:")) {
      return Optional.empty();
    }
    String rest = uri.substring(uri.indexOf(':') + 1);
    int at = rest.indexOf('@');
    String hostport = at < 0 ? rest : rest.substring(at + 1);
    int end = hostport.length();
    for (char c : new char[] {';', '?'}) {
      int i = hostport.indexOf(c);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    hostport = hostport.substring(0, end);
    if (hostport.startsWith("[")) {
      int close = hostport.indexOf(']');
      if (close < 0 || !MessageValidation.isIpv6(hostport.substring(1, close))) {
        return Optional.of("malformed IPv6 reference in Request-URI " + hostport);
      }
      return Optional.empty();
    }
    if (hostport.indexOf(':') != hostport.lastIndexOf(':')) {
      return Optional.of("IPv6 reference in Request-URI must be in brackets");
    }
    return Optional.empty();
  }

  private static Optional<String> duplicateHeader(List<String> headers) {
    Map<String, Integer> seen = new HashMap<>();
    for (String line : headers) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = SINGLE.get(line.substring(0, colon).trim().toLowerCase(Locale.ROOT));
      if (name != null && seen.merge(name, 1, Integer::sum) == 2) {
        return Optional.of("more than one " + name + " header");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> addressSyntax(List<String> headers) {
    for (String line : headers) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = ADDRESS_NAMES.get(line.substring(0, colon).trim().toLowerCase(Locale.ROOT));
      if (name == null) {
        continue;
      }
      String value = line.substring(colon + 1);
      StringBuilder unquoted = new StringBuilder();
      boolean quoted = false;
      for (int k = 0; k < value.length(); k++) {
        char ch = value.charAt(k);
        if (quoted && ch == '\\') {
          k++;
        } else if (ch == '"') {
          quoted = !quoted;
          unquoted.append('"');
        } else if (!quoted) {
          unquoted.append(ch);
        }
      }
      String u = unquoted.toString();
      if (spaceInsideBrackets(u)) {
        return Optional.of("spaces within the addr-spec of " + name);
      }
      int lt = u.indexOf('<');
      if (!name.equals("Contact") && lt > 0) {
        String display = u.substring(0, lt);
        if (!display.contains("\"") && !DISPLAY_TOKENS.matcher(display).matches()) {
          return Optional.of("display name of " + name + " must be tokens or a quoted string");
        }
      }
    }
    return Optional.empty();
  }

  static boolean spaceInsideBrackets(String s) {
    for (int k = 0; k + 1 < s.length(); k++) {
      char a = s.charAt(k);
      char b = s.charAt(k + 1);
      if ((a == '<' && (b == ' ' || b == '\t')) || ((a == ' ' || a == '\t') && b == '>')) {
        return true;
      }
    }
    return false;
  }
}
