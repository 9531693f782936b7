package dev.herald.sip.internal;

import dev.herald.sip.Rejection;
import gov.nist.javax.sip.address.AddressImpl;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.HeaderAddress;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The checks that make a request syntactically acceptable to Herald, beyond what JAIN-SIP's parser
 * enforces: the one place where Herald decides that a request gets 400 Bad Request (RFC 3261 §8.2,
 * the torture cases of RFC 4475 §3.1.2 and RFC 5118). Each check names what was wrong; the reason
 * phrase of the 400 carries that name.
 *
 * <p>Two entry points, one rule set: {@link #inspect(byte[])} looks at the bytes of a request's
 * start line and header section, for what the parsed message no longer shows (JAIN-SIP collapses
 * extra spaces in the Request-Line, silently keeps one of two To headers, normalises an IPv6
 * reference); {@link ValidatingParserFactory} runs it as each message is parsed and attaches the
 * finding to the message. {@link #check(Request)} then runs on the parsed request first thing in
 * the listener, and reports that finding or what the parsed headers show.
 */
public final class MessageValidation {
  private MessageValidation() {}

  /**
   * Headers a request may carry at most once (RFC 3261 §7.3.1 and §20: not a comma-separated list),
   * by full and compact name.
   */
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

  /** Address headers checked in the raw bytes, by full and compact name. */
  private static final Map<String, String> ADDRESS_NAMES =
      Map.of(
          "to", "To", "t", "To", "from", "From", "f", "From", "contact", "Contact", "m", "Contact");

  /** An unquoted display name: tokens and LWS (RFC 3261 §25.1 display-name, token). */
  private static final Pattern DISPLAY_TOKENS =
      Pattern.compile("[ \\t]*([A-Za-z0-9.!%*_+`'~-]+[ \\t]*)*");

  /** Headers whose value is a name-addr or addr-spec (RFC 3261 §20.10, §20.20, §20.39). */
  private static final Set<String> ADDRESS_HEADERS = Set.of("To", "From", "Contact");

  /** The largest UDP or TCP port. */
  private static final int MAX_PORT = 65_535;

  /**
   * The top Via's sent-by port if it is out of range, which JAIN-SIP's parser accepts (fuzzing
   * finding: {@code Via: SIP/2.0/UDP 127.0.0.1:579744}; the response could not be sent, JAIN-SIP
   * logged an ERROR). The answer is 400, sent to the port the request came from: the parser adds
   * rport (RFC 3581) to that Via.
   */
  public static Optional<Rejection> viaPortOutOfRange(SIPRequest request) {
    Via top = request.getTopmostVia();
    if (top != null && top.getPort() > MAX_PORT) {
      return Optional.of(badRequest("Via port " + top.getPort() + " is out of range"));
    }
    return Optional.empty();
  }

  /**
   * Headers whose URIs Herald keeps or sends to, walked once per request: their schemes and ports
   * are checked, and for {@link #ADDRESS_HEADERS} the angle brackets too.
   */
  private static final List<String> URI_HEADERS =
      List.of("To", "From", "Contact", "Route", "Record-Route");

  /**
   * {@code Method SP Request-URI SP SIP-Version}, single spaces, nothing after (RFC 3261 §25.1).
   */
  private static final Pattern REQUEST_LINE =
      Pattern.compile("[^ \\t\\r\\n]+ [^ \\t\\r\\n]+ [^ \\t\\r\\n]+");

  /**
   * The answer to a problem visible only in the raw bytes of a request: 505 for a SIP version other
   * than 2.0 (RFC 3261 §8.2.2.1, RFC 4475 §3.1.2.16), else 400 naming the problem; empty for a
   * response, or when there is none. Lines may end in CRLF or, as JAIN-SIP's TCP reader hands them
   * over, in LF alone.
   */
  public static Optional<Rejection> inspect(byte[] message) {
    return problemInBytes(message)
        .map(p -> p.startsWith("SIP/") ? versionNotSupported(p) : badRequest(p));
  }

  private static Rejection badRequest(String problem) {
    return Rejection.of(Response.BAD_REQUEST, "Bad Request (" + problem + ")");
  }

  private static Rejection versionNotSupported(String version) {
    return Rejection.of(Response.VERSION_NOT_SUPPORTED, "Version Not Supported (" + version + ")");
  }

  /** A problem in words, or the SIP version alone when that is the problem. */
  private static Optional<String> problemInBytes(byte[] message) {
    // the start line and headers only: nothing here looks at the body, which a PUBLISH carries
    String[] lines =
        new String(message, 0, headerSectionEnd(message), StandardCharsets.ISO_8859_1)
            .split("\n", -1);
    int i = 0;
    while (i < lines.length && stripCr(lines[i]).isEmpty()) {
      i++; // RFC 3261 §7.5: CRLFs before the start line are ignored
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

  /**
   * Where the header section ends: after the first empty line that follows the start line (CRLF
   * CRLF, or LF LF as JAIN-SIP's TCP reader hands lines over), or the whole message without one.
   * Empty lines before the start line (RFC 3261 §7.5) are skipped first.
   */
  static int headerSectionEnd(byte[] m) {
    int i = 0;
    while (i < m.length && (m[i] == '\r' || m[i] == '\n')) {
      i++;
    }
    for (; i < m.length; i++) {
      if (m[i] == '\n') {
        int j = i + 1;
        if (j < m.length && m[j] == '\r') {
          j++;
        }
        if (j < m.length && m[j] == '\n') {
          return j + 1;
        }
      }
    }
    return m.length;
  }

  private static String stripCr(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  /**
   * An IPv6 reference in a sip/sips Request-URI must be in brackets and well-formed (RFC 3261 §25.1
   * IPv6reference; RFC 5118 §4.5, §4.6).
   */
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
      if (close < 0 || !isIpv6(hostport.substring(1, close))) {
        return Optional.of("malformed IPv6 reference in Request-URI " + hostport);
      }
      return Optional.empty();
    }
    if (hostport.indexOf(':') != hostport.lastIndexOf(':')) {
      return Optional.of("IPv6 reference in Request-URI must be in brackets");
    }
    return Optional.empty();
  }

  /** Whether {@code s} is an IPv6address of RFC 3261 §25.1 (hex groups, one {@code ::} at most). */
  static boolean isIpv6(String s) {
    if (s.isEmpty() || s.contains(":::")) {
      return false;
    }
    int compressed = s.indexOf("::");
    if (compressed >= 0 && s.indexOf("::", compressed + 1) >= 0) {
      return false;
    }
    String[] parts = s.split(":", -1);
    int groups = 0;
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (p.isEmpty()) {
        continue; // the halves of "::", or a leading/trailing one
      }
      if (i == parts.length - 1 && p.contains(".")) {
        if (!p.matches("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}")) {
          return false;
        }
        groups += 2;
      } else if (p.matches("[0-9A-Fa-f]{1,4}")) {
        groups++;
      } else {
        return false;
      }
    }
    if (compressed < 0) {
      return groups == 8 && !s.startsWith(":") && !s.endsWith(":");
    }
    boolean loneLead = s.startsWith(":") && !s.startsWith("::");
    boolean loneTail = s.endsWith(":") && !s.endsWith("::");
    return groups < 8 && !loneLead && !loneTail;
  }

  /** The first header that appears twice though it may appear once (RFC 4475 §3.3.8, §3.3.9). */
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

  /**
   * Display names and addr-specs in To, From and Contact: no LWS just inside {@code <>} (RFC 4475
   * §3.1.2.14), and in To and From, which hold one address, an unquoted display name of tokens only
   * (§3.1.2.15; in Contact a comma separates addresses).
   */
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
          k++; // quoted-pair
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

  /**
   * LWS just inside the angle brackets of an addr-spec (RFC 4475 §3.1.2.14): {@code "< "} or {@code
   * " >"}, with a space or a tab. A loop, not a regular expression: it runs on every request's
   * From, To and Contact, retransmissions included (a regex search was 13% of Herald's CPU under a
   * PUBLISH flood, issue 7).
   */
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

  /**
   * The headers every request needs (RFC 3261 §8.1.1) that {@code request} lacks, as a phrase such
   * as {@code missing Call-ID, From, To}; empty if it has them all. JAIN-SIP drops such a request
   * before the listener sees it, so {@link ValidatingParserFactory} answers it.
   */
  public static Optional<String> missingHeaders(SIPRequest request) {
    List<String> missing = new ArrayList<>(4);
    if (request.getCallId() == null) {
      missing.add("Call-ID");
    }
    if (request.getCSeq() == null) {
      missing.add("CSeq");
    }
    if (request.getFrom() == null) {
      missing.add("From");
    }
    if (request.getTo() == null) {
      missing.add("To");
    }
    return missing.isEmpty()
        ? Optional.empty()
        : Optional.of("missing " + String.join(", ", missing));
  }

  /**
   * The answer {@code request} gets if it is malformed, or empty if it is not: 400 naming what is
   * wrong (or 505 for a bad version), for a finding of {@link #inspect(byte[])} attached when it
   * was parsed, a header JAIN-SIP could not parse (it keeps such a header aside as text), headers
   * in the Request-URI (RFC 3261 §19.1.5), or an addr-spec with headers or parameters that needed a
   * name-addr's angle brackets (RFC 3261 §20.10).
   */
  public static Optional<Rejection> check(Request request) {
    if (request instanceof SIPMessage m && m.getApplicationData() instanceof Finding f) {
      return Optional.of(f.rejection());
    }
    return problem(request).map(MessageValidation::badRequest);
  }

  private static Optional<String> problem(Request request) {
    Optional<String> unparsed = unparsedHeader(request);
    if (unparsed.isPresent()) {
      return unparsed;
    }
    URI uri = request.getRequestURI();
    if (uri instanceof SipURI sip && sip.getHeaderNames().hasNext()) {
      return Optional.of("Request-URI must not carry headers");
    }
    if (uri instanceof SipURI sip && sip.getPort() > MAX_PORT) {
      return Optional.of("Request-URI port " + sip.getPort() + " is out of range");
    }
    for (String name : URI_HEADERS) {
      Iterator<?> it = request.getHeaders(name);
      while (it.hasNext()) {
        if (!(it.next() instanceof HeaderAddress ha)
            || ha.getAddress() == null
            || ha.getAddress().getURI() == null) {
          continue;
        }
        if (ADDRESS_HEADERS.contains(name) && unbracketedWithHeaders(ha.getAddress())) {
          return Optional.of(name + " URI with headers must be enclosed in <>");
        }
        URI u = ha.getAddress().getURI();
        if (!isScheme(u.getScheme())) {
          return Optional.of(name + " URI scheme " + quoted(u.getScheme()) + " is invalid");
        }
        if (u instanceof SipURI sip && sip.getPort() > MAX_PORT) {
          // Fuzzing finding: a Contact's port 579744 was stored; sending to it would throw.
          return Optional.of(name + " URI port " + sip.getPort() + " is out of range");
        }
      }
    }
    return Optional.empty();
  }

  /**
   * RFC 3261 §25.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). JAIN-SIP's address parser
   * takes whatever precedes the first colon (fuzzing finding: {@code <sidb8lice@127.0.0.1:34486>}
   * became a URI of scheme "sidb8lice@127.0.0.1" that its own URI parser refuses, so a registrar
   * that stored it could not list the binding again).
   */
  static boolean isScheme(String scheme) {
    if (scheme == null || scheme.isEmpty() || !isAsciiLetter(scheme.charAt(0))) {
      return false;
    }
    for (int i = 1; i < scheme.length(); i++) {
      char c = scheme.charAt(i);
      if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** {@code s} in quotes, cut to 40 characters, for a reason phrase. */
  private static String quoted(String s) {
    String v = s == null ? "" : s;
    return "\"" + (v.length() > 40 ? v.substring(0, 40) + "..." : v) + "\"";
  }

  private static boolean unbracketedWithHeaders(Address address) {
    return address instanceof AddressImpl a
        && a.getAddressType() == AddressImpl.ADDRESS_SPEC
        && a.getURI() instanceof SipURI sip
        && sip.getHeaderNames().hasNext();
  }

  private static Optional<String> unparsedHeader(Request request) {
    if (!(request instanceof SIPMessage m)) {
      return Optional.empty();
    }
    ListIterator<String> it = m.getUnrecognizedHeaders();
    List<String> names = new ArrayList<>(1);
    while (it != null && it.hasNext()) {
      String header = it.next();
      int colon = header.indexOf(':');
      names.add(colon < 0 ? header.strip() : header.substring(0, colon).strip());
    }
    if (names.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("malformed " + String.join(", ", names) + " header");
  }

  /** A problem {@link #inspect(byte[])} found, attached to the parsed message. */
  record Finding(Rejection rejection) {}
}
