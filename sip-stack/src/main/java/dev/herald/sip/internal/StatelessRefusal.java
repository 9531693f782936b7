package dev.herald.sip.internal;

import dev.herald.sip.SipMessages;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/*
 * Design note (issue 7): while Herald is overloaded it answers a new out-of-dialog request 503 with
 * Retry-After (RFC 3261 §21.5.4). Refusing it after JAIN-SIP has parsed and validated it, made a
 * server transaction object and built the response cost nearly as much CPU as taking it: in the
 * subscription-setup and fan-out benches a cold Herald that fell behind refused ~5,800 requests/s
 * for 18 s on its four message threads while the lanes, whose backlog was the reason to refuse,
 * got too little of the two cores to drain it; the clients' retransmissions of requests waiting
 * in the queue kept the arrival rate up. Here the refusal is made on the UDP receive thread from
 * the datagram's bytes, before anything is queued: the request line and the five headers a
 * response copies are found by their names and copied byte for byte (RFC 3261 §8.2.6.2: Via,
 * From, To with a tag added, Call-ID, CSeq). Anything this reading cannot be sure of - a folded
 * header line, a header it needs missing or twice, a To tag (an in-dialog request, which the
 * overload check lets through), ACK and CANCEL (never refused), a top Via that is not UDP or has
 * maddr - is left to the full path, which refuses or answers it as before.
 */

/** A 503 built from a request datagram's bytes, without parsing the request. */
public final class StatelessRefusal {
  private final String method;
  private final List<String> vias;
  private final String from;
  private final String to;
  private final String callId;
  private final String cseq;
  private final TopVia top;

  private StatelessRefusal(
      String method,
      List<String> vias,
      String from,
      String to,
      String callId,
      String cseq,
      TopVia top) {
    this.method = method;
    this.vias = vias;
    this.from = from;
    this.to = to;
    this.callId = callId;
    this.cseq = cseq;
    this.top = top;
  }

  /** The request's method. */
  public String method() {
    return method;
  }

  /**
   * Reads a datagram as a new out-of-dialog request that may be refused statelessly; null when it
   * is anything else, or anything this reading is not sure of (the full path then handles it).
   */
  public static StatelessRefusal read(byte[] data, int offset, int length) {
    // ISO-8859-1 maps each byte to one char and back: the copied headers keep their exact bytes
    String text = new String(data, offset, length, StandardCharsets.ISO_8859_1);
    int i = 0;
    while (i < text.length() && (text.charAt(i) == '\r' || text.charAt(i) == '\n')) {
      i++; // RFC 3261 §7.5: CRLFs before the start line are ignored
    }
    int eol = text.indexOf('\n', i);
    if (eol < 0) {
      return null;
    }
    String requestLine = stripCr(text.substring(i, eol));
    int sp = requestLine.indexOf(' ');
    if (sp <= 0 || !requestLine.endsWith(" SIP/2.0") || requestLine.startsWith("SIP/")) {
      return null;
    }
    String method = requestLine.substring(0, sp);
    if (method.equals("ACK") || method.equals("CANCEL")) {
      return null;
    }
    List<String> vias = new ArrayList<>(2);
    String from = null;
    String to = null;
    String callId = null;
    String cseq = null;
    int pos = eol + 1;
    while (true) {
      int end = text.indexOf('\n', pos);
      if (end < 0) {
        return null; // no empty line ends the headers
      }
      String line = stripCr(text.substring(pos, end));
      pos = end + 1;
      if (line.isEmpty()) {
        break;
      }
      char first = line.charAt(0);
      if (first == ' ' || first == '\t') {
        return null; // a folded header line
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        return null;
      }
      String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      switch (name) {
        case "via", "v" -> vias.add(value);
        case "from", "f" -> {
          if (from != null) {
            return null;
          }
          from = line;
        }
        case "to", "t" -> {
          if (to != null) {
            return null;
          }
          if (hasTag(value)) {
            return null; // in a dialog: the overload check lets it through
          }
          to = line.stripTrailing();
        }
        case "call-id", "i" -> {
          if (callId != null) {
            return null;
          }
          callId = line;
        }
        case "cseq" -> {
          if (cseq != null) {
            return null;
          }
          String[] parts = value.split("[ \t]+");
          if (parts.length != 2 || !parts[1].equals(method)) {
            return null;
          }
          cseq = line;
        }
        default -> {}
      }
    }
    if (vias.isEmpty() || from == null || to == null || callId == null || cseq == null) {
      return null;
    }
    TopVia top = TopVia.of(vias.get(0));
    if (top == null) {
      return null;
    }
    return new StatelessRefusal(method, vias, from, to, callId, cseq, top);
  }

  /**
   * The 503 to this request, addressed as RFC 3261 §18.2.2 and RFC 3581 say: to the address the
   * request came from, at its source port when the top Via asks for rport, else at the Via's port.
   * The top Via gets received= when its host is not that address, and rport= when asked for (as
   * JAIN-SIP marks it on every request it receives).
   */
  public DatagramPacket refusal(
      InetAddress source, int sourcePort, String reason, int retryAfter, String product) {
    String sourceText = source.getHostAddress();
    StringBuilder sb = new StringBuilder(512);
    sb.append("SIP/2.0 503 ").append(clean(reason)).append("\r\n");
    sb.append("Via: ").append(top.withReceived(sourceText, sourcePort)).append("\r\n");
    for (int k = 1; k < vias.size(); k++) {
      sb.append("Via: ").append(vias.get(k)).append("\r\n");
    }
    sb.append(from).append("\r\n");
    sb.append(to).append(";tag=").append(SipMessages.newTag()).append("\r\n");
    sb.append(callId).append("\r\n");
    sb.append(cseq).append("\r\n");
    sb.append("Server: ").append(clean(product)).append("\r\n");
    sb.append("Retry-After: ").append(retryAfter).append("\r\n");
    sb.append("Content-Length: 0\r\n\r\n");
    byte[] out = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    int port = top.rport ? sourcePort : top.port;
    return new DatagramPacket(out, out.length, source, port);
  }

  /** Whether a To value carries a tag: a header parameter, after the URI's closing bracket. */
  static boolean hasTag(String value) {
    int close = value.lastIndexOf('>');
    String params = value.indexOf('<') >= 0 ? (close < 0 ? "" : value.substring(close + 1)) : value;
    StringBuilder compact = new StringBuilder(params.length());
    for (int k = 0; k < params.length(); k++) {
      char c = params.charAt(k);
      if (c != ' ' && c != '\t') {
        compact.append(Character.toLowerCase(c));
      }
    }
    return compact.indexOf(";tag=") >= 0;
  }

  private static String stripCr(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  /** Our own text in a start line or header: no control characters. */
  private static String clean(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      sb.append(c < 0x20 || c == 0x7f || c > 0xff ? ' ' : c);
    }
    return sb.toString();
  }

  /** The first via-parm of the first Via header: what the response's address comes from. */
  private record TopVia(String text, String rest, String host, int port, boolean rport) {

    /** Null unless it is {@code SIP/2.0/UDP host[:port]} with parameters other than maddr. */
    static TopVia of(String viaValue) {
      int comma = viaValue.indexOf(',');
      String text = comma < 0 ? viaValue : viaValue.substring(0, comma).strip();
      String rest = comma < 0 ? "" : viaValue.substring(comma);
      int sp = indexOfSpace(text);
      if (sp < 0) {
        return null;
      }
      String protocol = text.substring(0, sp).replace(" ", "").replace("\t", "");
      if (!protocol.equalsIgnoreCase("SIP/2.0/UDP")) {
        return null;
      }
      String after = text.substring(sp).strip();
      int semi = after.indexOf(';');
      String sentBy = (semi < 0 ? after : after.substring(0, semi)).strip();
      String params = semi < 0 ? "" : after.substring(semi);
      String host;
      String portText;
      if (sentBy.startsWith("[")) {
        int close = sentBy.indexOf(']');
        if (close < 0) {
          return null;
        }
        host = sentBy.substring(0, close + 1);
        portText = sentBy.substring(close + 1);
      } else {
        int colon = sentBy.indexOf(':');
        host = colon < 0 ? sentBy : sentBy.substring(0, colon);
        portText = colon < 0 ? "" : sentBy.substring(colon);
      }
      int port = 5060;
      if (!portText.isEmpty()) {
        if (!portText.startsWith(":") || portText.length() < 2 || portText.length() > 6) {
          return null;
        }
        try {
          port = Integer.parseInt(portText.substring(1));
        } catch (NumberFormatException e) {
          return null;
        }
        if (port < 1 || port > 65_535) {
          return null;
        }
      }
      if (host.isEmpty()) {
        return null;
      }
      boolean rport = false;
      for (String p : params.split(";")) {
        String name = p.strip();
        int eq = name.indexOf('=');
        String key = (eq < 0 ? name : name.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
        if (key.equals("maddr") || key.equals("received")) {
          return null; // rare; the full path knows what to do
        }
        if (key.equals("rport")) {
          if (eq >= 0) {
            return null; // a request does not carry an rport value
          }
          rport = true;
        }
      }
      return new TopVia(text, rest, host, port, rport);
    }

    /** This via-parm as the response carries it, then the rest of its header line. */
    String withReceived(String source, int sourcePort) {
      String out = text;
      if (rport) {
        out = out.replaceFirst("(?i);[ \t]*rport(?=[ \t]*(;|$))", ";rport=" + sourcePort);
      }
      String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
      if (rport || !bare.equalsIgnoreCase(source)) {
        out = out + ";received=" + source;
      }
      return out + rest;
    }

    private static int indexOfSpace(String s) {
      // "SIP/2.0/UDP host": the protocol may have LWS around its slashes (RFC 3261 §20.42)
      int slash = s.lastIndexOf('/');
      if (slash < 0) {
        return -1;
      }
      for (int k = slash + 1; k < s.length(); k++) {
        char c = s.charAt(k);
        if (c == ' ' || c == '\t') {
          // skip the transport token itself
          if (k > slash + 1 && !s.substring(slash + 1, k).isBlank()) {
            return k;
          }
        }
      }
      return -1;
    }
  }
}
