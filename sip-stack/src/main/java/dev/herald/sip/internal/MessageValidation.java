package dev.herald.sip.internal;

import dev.herald.sip.Rejection;
import gov.nist.javax.sip.address.AddressImpl;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Optional;
import java.util.Set;
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
   * The headers the byte checks look for, by the name reason phrases give them and their full and
   * compact spellings: those a request may carry at most once (RFC 3261 §7.3.1 and §20: not a
   * comma-separated list), and the address headers whose syntax is checked in the raw bytes.
   */
  private enum Checked {
    TO("To", true, true, "to", "t"),
    FROM("From", true, true, "from", "f"),
    CALL_ID("Call-ID", true, false, "call-id", "i"),
    CSEQ("CSeq", true, false, "cseq"),
    MAX_FORWARDS("Max-Forwards", true, false, "max-forwards"),
    CONTENT_LENGTH("Content-Length", true, false, "content-length", "l"),
    CONTENT_TYPE("Content-Type", true, false, "content-type", "c"),
    EXPIRES("Expires", true, false, "expires"),
    CONTACT("Contact", false, true, "contact", "m");

    final String canonical;
    final boolean single;
    final boolean address;
    final String[] spellings;

    Checked(String canonical, boolean single, boolean address, String... spellings) {
      this.canonical = canonical;
      this.single = single;
      this.address = address;
      this.spellings = spellings;
    }

    /** One bit per header, for the set of single-instance headers seen so far. */
    int bit() {
      return 1 << ordinal();
    }
  }

  /** Every spelling of {@link Checked}, lower case, and the header each one names. */
  private static final byte[][] SPELLINGS;

  private static final Checked[] SPELLED;

  static {
    List<byte[]> spellings = new ArrayList<>();
    List<Checked> spelled = new ArrayList<>();
    for (Checked c : Checked.values()) {
      for (String s : c.spellings) {
        spellings.add(s.getBytes(StandardCharsets.US_ASCII));
        spelled.add(c);
      }
    }
    SPELLINGS = spellings.toArray(new byte[0][]);
    SPELLED = spelled.toArray(new Checked[0]);
  }

  /** Headers whose value is a name-addr or addr-spec (RFC 3261 §20.10, §20.20, §20.39). */
  private static final Set<String> ADDRESS_HEADERS = Set.of("To", "From", "Contact");

  /** The one SIP version Herald speaks (RFC 3261 §7.1); any other gets 505. */
  private static final String SIP_2_0 = "SIP/2.0";

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

  /**
   * A problem in words, or the SIP version alone when that is the problem.
   *
   * <p>This runs on the receive thread for every message, retransmissions and responses included,
   * so it reads the bytes where they lie: the only Strings it makes are the start line of a request
   * and the To, From and Contact headers, whose syntax is checked as text. Decoding the header
   * section and splitting it into a String per line was a tenth of all the bytes Herald allocated
   * under load.
   */
  private static Optional<String> problemInBytes(byte[] message) {
    // the start line and headers only: nothing here looks at the body, which a PUBLISH carries
    int end = headerSectionEnd(message);
    int from = 0;
    int nl = lineEnd(message, from, end);
    while (contentEnd(message, from, nl) == from) {
      if (nl == end) {
        return Optional.empty();
      }
      from = nl + 1; // RFC 3261 §7.5: CRLFs before the start line are ignored
      nl = lineEnd(message, from, end);
    }
    int startLineEnd = contentEnd(message, from, nl);
    if (startsWith(message, from, startLineEnd, "SIP/")) {
      return Optional.empty();
    }
    Optional<String> requestLine =
        requestLineProblem(
            new String(message, from, startLineEnd - from, StandardCharsets.ISO_8859_1));
    if (requestLine.isPresent()) {
      return requestLine;
    }
    // A duplicate anywhere is reported before any address syntax problem, however early that one
    // is, so the first address problem waits until the last header has been looked at.
    int seen = 0;
    String addressProblem = null;
    while (nl < end) {
      int header = nl + 1;
      nl = lineEnd(message, header, end);
      if (contentEnd(message, header, nl) == header) {
        break; // the empty line that ends the header section
      }
      // a line that starts with a space or a tab continues the header (RFC 3261 §7.3.1)
      while (nl + 1 < end && (message[nl + 1] == ' ' || message[nl + 1] == '\t')) {
        nl = lineEnd(message, nl + 1, end);
      }
      Checked name = checkedHeader(message, header, nl);
      if (name == null) {
        continue;
      }
      if (name.single) {
        if ((seen & name.bit()) != 0) {
          return Optional.of("more than one " + name.canonical + " header");
        }
        seen |= name.bit();
      }
      if (name.address && addressProblem == null) {
        addressProblem = addressProblem(logicalLine(message, header, nl), name);
      }
    }
    return Optional.ofNullable(addressProblem);
  }

  /**
   * What is wrong with a Request-Line, or the SIP version alone when that is the problem, or empty:
   * {@code Method SP Request-URI SP SIP-Version}, single spaces, nothing after (RFC 3261 §25.1),
   * version 2.0, and a well-formed host in a sip or sips URI.
   */
  private static Optional<String> requestLineProblem(String line) {
    if (!singleSpaced(line)) {
      return Optional.of("Request-Line must be method, URI and version separated by single spaces");
    }
    int first = line.indexOf(' ');
    int last = line.lastIndexOf(' ');
    if (line.length() != last + 1 + SIP_2_0.length() || !line.startsWith(SIP_2_0, last + 1)) {
      String version = line.substring(last + 1);
      return Optional.of(version.startsWith("SIP/") ? version : "SIP version missing");
    }
    return requestUriHost(line, first + 1, last);
  }

  /**
   * Whether {@code line} is three non-empty parts separated by one space each, with no tab, CR or
   * LF anywhere. A loop rather than a regular expression: it runs on every request.
   */
  private static boolean singleSpaced(String line) {
    int first = -1;
    int second = -1;
    for (int k = 0; k < line.length(); k++) {
      char c = line.charAt(k);
      if (c == ' ') {
        if (first < 0) {
          first = k;
        } else if (second < 0) {
          second = k;
        } else {
          return false;
        }
      } else if (c == '\t' || c == '\r' || c == '\n') {
        return false;
      }
    }
    return first > 0 && second > first + 1 && second < line.length() - 1;
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

  /** Where the line that starts at {@code from} ends: at its LF, or at {@code to} without one. */
  private static int lineEnd(byte[] m, int from, int to) {
    for (int k = from; k < to; k++) {
      if (m[k] == '\n') {
        return k;
      }
    }
    return to;
  }

  /**
   * Where the content of the line {@code m[from, lineEnd)} ends: before its last byte if that is
   * the CR of a CRLF. One CR only, as a line that ends in CR CR LF keeps the first.
   */
  private static int contentEnd(byte[] m, int from, int lineEnd) {
    return lineEnd > from && m[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
  }

  private static boolean startsWith(byte[] m, int from, int to, String prefix) {
    if (to - from < prefix.length()) {
      return false;
    }
    for (int k = 0; k < prefix.length(); k++) {
      if (m[from + k] != prefix.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /**
   * An IPv6 reference in a sip/sips Request-URI must be in brackets and well-formed (RFC 3261 §25.1
   * IPv6reference; RFC 5118 §4.5, §4.6). The URI is {@code line[from, to)}; it is read in place.
   */
  private static Optional<String> requestUriHost(String line, int from, int to) {
    int rest;
    if (line.regionMatches(true, from, "sip:", 0, 4)) {
      rest = from + 4;
    } else if (line.regionMatches(true, from, "sips:", 0, 5)) {
      rest = from + 5;
    } else {
      return Optional.empty();
    }
    int at = indexOf(line, '@', rest, to);
    int host = at < 0 ? rest : at + 1;
    int hostEnd = host;
    while (hostEnd < to && line.charAt(hostEnd) != ';' && line.charAt(hostEnd) != '?') {
      hostEnd++;
    }
    if (host < hostEnd && line.charAt(host) == '[') {
      int close = indexOf(line, ']', host, hostEnd);
      if (close < 0 || !isIpv6(line.substring(host + 1, close))) {
        return Optional.of(
            "malformed IPv6 reference in Request-URI " + line.substring(host, hostEnd));
      }
      return Optional.empty();
    }
    int colon = indexOf(line, ':', host, hostEnd);
    if (colon >= 0 && indexOf(line, ':', colon + 1, hostEnd) >= 0) {
      return Optional.of("IPv6 reference in Request-URI must be in brackets");
    }
    return Optional.empty();
  }

  /** The first {@code c} in {@code s[from, to)}, or -1. */
  private static int indexOf(String s, char c, int from, int to) {
    int i = s.indexOf(c, from);
    return i < to ? i : -1;
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

  /**
   * Which of the {@link Checked} headers {@code m[from, to)} is, or null. Its name is what comes
   * before the first colon, trimmed as {@link String#trim()} trims (anything up to a space), in any
   * case. Folded lines are read as they lie, line ends included: those are all blanks, like the
   * single space that joins the lines of a folded header, so they can end a name but never be part
   * of one.
   */
  private static Checked checkedHeader(byte[] m, int from, int to) {
    int nameFrom = -1;
    int nameTo = -1;
    for (int k = from; k < to; k++) {
      int b = m[k] & 0xFF;
      if (b == ':') {
        return spelled(m, nameFrom, nameTo); // none if the colon comes first
      }
      if (b > ' ') {
        if (nameFrom < 0) {
          nameFrom = k;
        } else if (nameTo < k) {
          return null; // a blank inside the name: none of the checked headers has one
        }
        nameTo = k + 1;
      }
    }
    return null;
  }

  /** The header {@code m[from, to)} spells, ignoring ASCII case; null if none (or if empty). */
  private static Checked spelled(byte[] m, int from, int to) {
    if (from < 0) {
      return null;
    }
    for (int i = 0; i < SPELLINGS.length; i++) {
      byte[] spelling = SPELLINGS[i];
      if (spelling.length == to - from && equalsIgnoreAsciiCase(m, from, spelling)) {
        return SPELLED[i];
      }
    }
    return null;
  }

  /**
   * Whether {@code m} at {@code from} holds {@code lower}, a lower-case ASCII word, in any case.
   */
  private static boolean equalsIgnoreAsciiCase(byte[] m, int from, byte[] lower) {
    for (int k = 0; k < lower.length; k++) {
      int b = m[from + k];
      int c = lower[k];
      if (b != c && !(c >= 'a' && c <= 'z' && b == c - ('a' - 'A'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The header {@code m[from, to)} as one line of text: each folded line stripped and joined to the
   * line before by a space (RFC 3261 §7.3.1).
   */
  private static String logicalLine(byte[] m, int from, int to) {
    int nl = lineEnd(m, from, to);
    String first = new String(m, from, contentEnd(m, from, nl) - from, StandardCharsets.ISO_8859_1);
    if (nl == to) {
      return first;
    }
    StringBuilder line = new StringBuilder(first);
    while (nl < to) {
      int next = nl + 1;
      nl = lineEnd(m, next, to);
      line.append(' ').append(new String(m, next, nl - next, StandardCharsets.ISO_8859_1).strip());
    }
    return line.toString();
  }

  /**
   * What is wrong with the display name or addr-spec of {@code line}, a To, From or Contact header,
   * or null: no LWS just inside {@code <>} (RFC 4475 §3.1.2.14), and in To and From, which hold one
   * address, an unquoted display name of tokens only (§3.1.2.15; in Contact a comma separates
   * addresses).
   */
  private static String addressProblem(String line, Checked header) {
    int colon = line.indexOf(':');
    // LWS next to a bracket counts only outside quoted strings: their contents are skipped (a
    // quoted-pair as one), their quotes kept, so a bracket and a blank on either side of a quoted
    // string are never taken for neighbours.
    boolean quoted = false;
    char previous = 0;
    for (int k = colon + 1; k < line.length(); k++) {
      char ch = line.charAt(k);
      if (quoted && ch == '\\') {
        k++; // quoted-pair
      } else if (ch == '"' || !quoted) {
        if (ch == '"') {
          quoted = !quoted;
        }
        if (lwsInsideBrackets(previous, ch)) {
          return "spaces within the addr-spec of " + header.canonical;
        }
        previous = ch;
      }
    }
    if (header != Checked.CONTACT) {
      // A display name with a quote anywhere before the first bracket is left to the parser.
      int lt = line.indexOf('<', colon + 1);
      if (lt > colon + 1
          && line.lastIndexOf('"', lt - 1) <= colon
          && !tokensAndLws(line, colon + 1, lt)) {
        return "display name of " + header.canonical + " must be tokens or a quoted string";
      }
    }
    return null;
  }

  /**
   * Whether {@code s[from, to)} is tokens and LWS only, an unquoted display-name (RFC 3261 §25.1
   * display-name, token). A loop rather than a regular expression: the expression's nested
   * repetition recursed once per word, and a long display name overflowed the stack.
   */
  private static boolean tokensAndLws(String s, int from, int to) {
    for (int k = from; k < to; k++) {
      char c = s.charAt(k);
      if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && ".!%*_+`'~- \t".indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * LWS just inside the angle brackets of an addr-spec (RFC 4475 §3.1.2.14): {@code "< "} or {@code
   * " >"}, with a space or a tab. A loop, not a regular expression: it runs on every request's
   * From, To and Contact, retransmissions included (a regex search was 13% of Herald's CPU under a
   * PUBLISH flood, issue 7).
   */
  static boolean spaceInsideBrackets(String s) {
    for (int k = 0; k + 1 < s.length(); k++) {
      if (lwsInsideBrackets(s.charAt(k), s.charAt(k + 1))) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code a} then {@code b} is a bracket and a space or tab inside it. */
  private static boolean lwsInsideBrackets(char a, char b) {
    return (a == '<' && (b == ' ' || b == '\t')) || ((a == ' ' || a == '\t') && b == '>');
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
