package dev.herald.presence.dialog;

import dev.herald.presence.pidf.XmlInput;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Checks a PUBLISH body of the dialog package and turns it into a {@link DialogInfo}. Thread-safe.
 *
 * <p>Refused, each with a {@link DialogInfoException} whose message fits a 400 reason phrase, as
 * the PIDF parser refuses them: bodies over the size limit (before any parsing), anything but
 * well-formed UTF-8 XML 1.0, any DOCTYPE (so no entity expansion, no external entity), nesting
 * deeper than the depth limit; and documents that break RFC 4235 §4.1: a root other than {@code
 * dialog-info} in {@value #NS}, no {@code entity}, a {@code version} that is not a non-negative
 * integer, a {@code state} other than {@code full} or {@code partial}, a dialog without {@code id}
 * or a repeated id, a dialog without {@code state} or with an unknown one.
 */
public final class DialogInfoParser {
  /*
   * Design note: the same hardening as PidfParser (JDK StAX, DTD support off, a resolver that
   * refuses everything, a strict UTF-8 decode first, depth counted per start tag), but streaming:
   * a dialog-info document is flat, so the few fields Herald keeps are read as the events come and
   * nothing else is held. Unknown elements (extensions, route-set, duration...) are skipped.
   */

  /** The dialog-info namespace. */
  public static final String NS = "urn:ietf:params:xml:ns:dialog-info";

  private static final int MIN_DEPTH = 4; // dialog-info / dialog / local / identity
  private static final ThreadLocal<XMLInputFactory> FACTORY =
      ThreadLocal.withInitial(DialogInfoParser::newFactory);

  private final int maxBytes;
  private final int maxDepth;

  /**
   * @param maxBytes largest body accepted, in bytes
   * @param maxDepth deepest element nesting accepted, counting the root as 1; at least 4
   */
  public DialogInfoParser(int maxBytes, int maxDepth) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
    }
    if (maxDepth < MIN_DEPTH) {
      throw new IllegalArgumentException(
          "maxDepth must be at least " + MIN_DEPTH + ", was " + maxDepth);
    }
    this.maxBytes = maxBytes;
    this.maxDepth = maxDepth;
  }

  /** Parses and checks one body ({@code application/dialog-info+xml}). */
  public DialogInfo parse(byte[] body) throws DialogInfoException {
    if (body.length > maxBytes) {
      throw new DialogInfoException(
          "dialog-info document too large (" + body.length + " > " + maxBytes + " bytes)");
    }
    if (body.length == 0) {
      throw new DialogInfoException("Malformed dialog-info: empty body");
    }
    try {
      return read(FACTORY.get().createXMLStreamReader(new StringReader(decodeUtf8(body))));
    } catch (XMLStreamException e) {
      Location at = e.getLocation();
      int line = at == null ? -1 : at.getLineNumber();
      // The parser's own message may quote the body; the reason phrase gives the line only.
      throw new DialogInfoException(
          line > 0
              ? "Malformed dialog-info: not well-formed XML at line " + line
              : "Malformed dialog-info: not well-formed XML",
          e);
    }
  }

  private static String decodeUtf8(byte[] body) throws DialogInfoException {
    try {
      return XmlInput.utf8(body);
    } catch (CharacterCodingException e) {
      throw new DialogInfoException("Malformed dialog-info: not valid UTF-8", e);
    }
  }

  private static XMLInputFactory newFactory() {
    return XmlInput.hardenedFactory();
  }

  /** What is being read of the current dialog; null outside one. */
  private static final class DialogDraft {
    String id;
    String callId;
    String localTag;
    String remoteTag;
    String direction;
    String state;
    String event;
    String code;
    String[] local;
    String[] remote;
  }

  private DialogInfo read(XMLStreamReader r) throws XMLStreamException, DialogInfoException {
    String encoding = r.getCharacterEncodingScheme();
    if (encoding != null && !encoding.equalsIgnoreCase("UTF-8")) {
      throw new DialogInfoException("Malformed dialog-info: encoding must be UTF-8");
    }
    String version = r.getVersion();
    if (version != null && !version.equals("1.0")) {
      throw new DialogInfoException("Malformed dialog-info: XML version must be 1.0");
    }
    List<String> path = new ArrayList<>(); // local names of the open dialog-info elements
    String entity = null;
    boolean full = true;
    boolean root = false;
    List<Dialog> dialogs = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    DialogDraft d = null;
    StringBuilder text = new StringBuilder();
    while (r.hasNext()) {
      switch (r.next()) {
        case XMLStreamConstants.DTD ->
            throw new DialogInfoException("Malformed dialog-info: DOCTYPE not allowed");
        case XMLStreamConstants.ENTITY_REFERENCE ->
            throw new DialogInfoException("Malformed dialog-info: entity reference not allowed");
        case XMLStreamConstants.START_ELEMENT -> {
          if (path.size() >= maxDepth) {
            throw new DialogInfoException(
                "Malformed dialog-info: elements nested deeper than " + maxDepth);
          }
          String name = NS.equals(r.getNamespaceURI()) ? r.getLocalName() : "";
          text.setLength(0);
          if (path.isEmpty()) {
            if (!name.equals("dialog-info")) {
              throw new DialogInfoException(
                  "Malformed dialog-info: root element is not dialog-info in " + NS);
            }
            root = true;
            entity = attribute(r, "entity");
            if (entity == null || entity.isBlank()) {
              throw new DialogInfoException("Malformed dialog-info: dialog-info without entity");
            }
            String v = attribute(r, "version");
            if (v == null || !v.matches("[0-9]{1,19}")) {
              throw new DialogInfoException(
                  "Malformed dialog-info: version must be a non-negative integer");
            }
            String state = attribute(r, "state");
            if (!"full".equals(state) && !"partial".equals(state)) {
              throw new DialogInfoException("Malformed dialog-info: state must be full or partial");
            }
            full = state.equals("full");
          } else if (path.size() == 1 && name.equals("dialog")) {
            d = new DialogDraft();
            d.id = attribute(r, "id");
            if (d.id == null || d.id.isEmpty()) {
              throw new DialogInfoException("Malformed dialog-info: dialog without id");
            }
            if (!ids.add(d.id)) {
              throw new DialogInfoException("Malformed dialog-info: duplicate dialog id");
            }
            d.callId = attribute(r, "call-id");
            d.localTag = attribute(r, "local-tag");
            d.remoteTag = attribute(r, "remote-tag");
            d.direction = attribute(r, "direction");
          } else if (d != null && path.size() == 2 && name.equals("state")) {
            d.event = attribute(r, "event");
            d.code = attribute(r, "code");
          } else if (d != null && path.size() == 2 && name.equals("local")) {
            d.local = new String[3];
          } else if (d != null && path.size() == 2 && name.equals("remote")) {
            d.remote = new String[3];
          } else if (d != null && path.size() == 3 && name.equals("identity")) {
            String[] p = participant(d, path.get(2));
            if (p != null) {
              p[1] = attribute(r, "display");
            }
          } else if (d != null && path.size() == 3 && name.equals("target")) {
            String[] p = participant(d, path.get(2));
            if (p != null) {
              p[2] = attribute(r, "uri");
            }
          }
          path.add(name);
        }
        case XMLStreamConstants.END_ELEMENT -> {
          String name = path.remove(path.size() - 1);
          if (d != null && path.size() == 2 && name.equals("state")) {
            d.state = text.toString().strip();
          } else if (d != null && path.size() == 3 && name.equals("identity")) {
            String[] p = participant(d, path.get(2));
            if (p != null) {
              p[0] = text.toString().strip();
            }
          } else if (d != null && path.size() == 1 && name.equals("dialog")) {
            dialogs.add(build(d));
            d = null;
          }
          text.setLength(0);
        }
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
            text.append(r.getText());
        default -> {
          // comments, processing instructions, end of document: nothing to keep
        }
      }
    }
    r.close();
    if (!root) {
      throw new DialogInfoException("Malformed dialog-info: no root element");
    }
    return new DialogInfo(entity, full, dialogs);
  }

  private static String[] participant(DialogDraft d, String which) {
    return switch (which) {
      case "local" -> d.local;
      case "remote" -> d.remote;
      default -> null;
    };
  }

  private static Dialog build(DialogDraft d) throws DialogInfoException {
    if (d.state == null) {
      throw new DialogInfoException(
          "Malformed dialog-info: dialog " + shorten(d.id) + " without state");
    }
    DialogState state =
        DialogState.of(d.state)
            .orElseThrow(
                () ->
                    new DialogInfoException(
                        "Malformed dialog-info: unknown dialog state " + shorten(d.state)));
    return new Dialog(
        d.id,
        d.callId,
        d.localTag,
        d.remoteTag,
        d.direction,
        state,
        d.event,
        d.code,
        participant(d.local),
        participant(d.remote));
  }

  private static Dialog.Participant participant(String[] p) {
    return p == null ? null : new Dialog.Participant(empty(p[0]), p[1], p[2]);
  }

  private static String empty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String attribute(XMLStreamReader r, String localName) {
    return r.getAttributeValue(null, localName);
  }

  /** A value for a reason phrase: short, and printable ASCII only. */
  private static String shorten(String s) {
    String cut = s.length() > 20 ? s.substring(0, 20) + "..." : s;
    return cut.replaceAll("[^\\x21-\\x7e]", "?");
  }
}
