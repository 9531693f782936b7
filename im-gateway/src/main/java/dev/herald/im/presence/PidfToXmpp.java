package dev.herald.im.presence;

import dev.herald.im.xmpp.XmlElement;
import dev.herald.im.xmpp.XmppComponent;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * SIP presence to XMPP: a PIDF document with RPID activities (RFC 3863, RFC 4480) read as a {@link
 * PresenceInfo}, and that as the {@code <presence/>} an XMPP watcher gets (RFC 8048 §6.3).
 *
 * <table>
 *   <caption>PIDF to XMPP</caption>
 *   <tr><th>PIDF</th><th>XMPP</th></tr>
 *   <tr><td>no tuple {@code <basic>open}</td><td>{@code type='unavailable'}</td></tr>
 *   <tr><td>busy, on-the-phone, meeting, appointment, performance, presentation, worship</td>
 *       <td>{@code <show>dnd}</td></tr>
 *   <tr><td>vacation, holiday, permanent-absence, travel, sleeping, other "extended away"</td>
 *       <td>{@code <show>xa}</td></tr>
 *   <tr><td>away, breakfast, dinner, meal, in-transit, shopping</td><td>{@code <show>away}</td></tr>
 *   <tr><td>other "chat" or "free for chat", or that as the note</td><td>{@code <show>chat}</td></tr>
 *   <tr><td>person note, else an open tuple's note, else the document's</td><td>{@code <status>}</td></tr>
 *   <tr><td>highest contact priority of an open tuple, 0..1</td><td>{@code <priority>} -128..127</td></tr>
 * </table>
 *
 * <p>When activities of several rows are present, the first row's wins (dnd, then xa, away, chat).
 */
public final class PidfToXmpp {
  static final String PIDF_NS = "urn:ietf:params:xml:ns:pidf";
  static final String DATA_MODEL_NS = "urn:ietf:params:xml:ns:pidf:data-model";
  static final String RPID_NS = "urn:ietf:params:xml:ns:pidf:rpid";

  private static final Set<String> DND =
      Set.of(
          "busy",
          "on-the-phone",
          "meeting",
          "appointment",
          "performance",
          "presentation",
          "worship");
  private static final Set<String> XA =
      Set.of("vacation", "holiday", "permanent-absence", "travel", "sleeping");
  private static final Set<String> AWAY =
      Set.of("away", "breakfast", "dinner", "meal", "in-transit", "shopping");

  /** RPID {@code <other>} texts (compared lower-case, trimmed) that name an XMPP show. */
  private static final Map<String, Show> OTHER =
      Map.of(
          "extended away", Show.XA,
          "extended-away", Show.XA,
          "chat", Show.CHAT,
          "free for chat", Show.CHAT);

  private static final ThreadLocal<XMLInputFactory> FACTORY =
      ThreadLocal.withInitial(
          () -> {
            XMLInputFactory f = XMLInputFactory.newFactory();
            f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
            return f;
          });

  private PidfToXmpp() {}

  /**
   * What a PIDF document says, in XMPP's terms (see the table above).
   *
   * @throws IllegalArgumentException when {@code pidf} is not a well-formed PIDF document
   */
  public static PresenceInfo read(byte[] pidf) {
    Reading r = new Reading();
    try {
      XMLStreamReader x = FACTORY.get().createXMLStreamReader(new ByteArrayInputStream(pidf));
      try {
        r.document(x);
      } finally {
        x.close();
      }
    } catch (XMLStreamException e) {
      throw new IllegalArgumentException("not a well-formed PIDF document: " + e.getMessage(), e);
    }
    if (!r.sawPresence) {
      throw new IllegalArgumentException("not a PIDF document: no <presence> in " + PIDF_NS);
    }
    String tupleNote = r.open ? r.openTupleNote : r.anyTupleNote;
    String status = r.personNote != null ? r.personNote : tupleNote != null ? tupleNote : r.topNote;
    status = status == null ? "" : status.trim();
    if (!r.open) {
      return new PresenceInfo(false, Show.NONE, status, 0);
    }
    Show show = show(r.activities, r.others, status);
    int priority = r.priority == null ? 0 : priority(r.priority);
    return new PresenceInfo(true, show, status, priority);
  }

  /**
   * The show of an available presentity with these RPID activities (local names in the RPID
   * namespace), texts of {@code <other>} activities, and note.
   */
  static Show show(List<String> activities, List<String> others, String note) {
    Show best = Show.NONE;
    for (String a : activities) {
      best =
          stronger(
              best,
              DND.contains(a)
                  ? Show.DND
                  : XA.contains(a) ? Show.XA : AWAY.contains(a) ? Show.AWAY : Show.NONE);
    }
    for (String o : others) {
      best = stronger(best, OTHER.getOrDefault(o.trim().toLowerCase(Locale.ROOT), Show.NONE));
    }
    if (best == Show.NONE && OTHER.get(note.trim().toLowerCase(Locale.ROOT)) == Show.CHAT) {
      return Show.CHAT;
    }
    return best;
  }

  /** dnd over xa over away over chat over none. */
  private static Show stronger(Show a, Show b) {
    return rank(b) > rank(a) ? b : a;
  }

  private static int rank(Show s) {
    return switch (s) {
      case NONE -> 0;
      case CHAT -> 1;
      case AWAY -> 2;
      case XA -> 3;
      case DND -> 4;
    };
  }

  /**
   * A PIDF contact priority (a qvalue, 0 to 1, RFC 3863 §4.1.5) as an XMPP priority: 0 is -128, 1
   * is 127, linear between (0.5 is 0).
   */
  public static int priority(double q) {
    double clamped = Math.max(0, Math.min(1, q));
    return (int) Math.round(clamped * 255) - 128;
  }

  /**
   * The {@code <presence/>} that tells an XMPP watcher {@code info}: no type when available, {@code
   * type='unavailable'} otherwise; {@code <show/>}, {@code <status/>} and {@code <priority/>} when
   * they say something (an unavailable presence carries only its status).
   */
  public static XmlElement stanza(PresenceInfo info, String from, String to) {
    String ns = XmppComponent.NAMESPACE;
    XmlElement.Builder b =
        XmlElement.builder("presence", ns).attribute("from", from).attribute("to", to);
    if (!info.available()) {
      b.attribute("type", "unavailable");
    }
    Optional<String> show = info.show().xmlValue();
    show.ifPresent(s -> b.child(XmlElement.builder("show", ns).text(s).build()));
    if (!info.status().isEmpty()) {
      b.child(XmlElement.builder("status", ns).text(info.status()).build());
    }
    if (info.available() && info.priority() != 0) {
      b.child(XmlElement.builder("priority", ns).text(Integer.toString(info.priority())).build());
    }
    return b.build();
  }

  /** What the walk over a document collects. */
  private static final class Reading {
    boolean sawPresence;
    boolean open;
    Double priority;
    String personNote;
    String openTupleNote;
    String anyTupleNote;
    String topNote;
    final List<String> activities = new ArrayList<>();
    final List<String> others = new ArrayList<>();

    void document(XMLStreamReader x) throws XMLStreamException {
      while (x.hasNext()) {
        if (x.next() == XMLStreamConstants.START_ELEMENT) {
          if (is(x, PIDF_NS, "presence")) {
            sawPresence = true;
            presence(x);
          } else {
            skip(x);
          }
        }
      }
    }

    private void presence(XMLStreamReader x) throws XMLStreamException {
      while (next(x)) {
        if (is(x, PIDF_NS, "tuple")) {
          tuple(x);
        } else if (is(x, DATA_MODEL_NS, "person")) {
          person(x);
        } else if (is(x, PIDF_NS, "note") && topNote == null) {
          topNote = x.getElementText();
        } else {
          skip(x);
        }
      }
    }

    private void tuple(XMLStreamReader x) throws XMLStreamException {
      boolean tupleOpen = false;
      Double contactPriority = null;
      String note = null;
      while (next(x)) {
        if (is(x, PIDF_NS, "status")) {
          while (next(x)) {
            if (is(x, PIDF_NS, "basic")) {
              tupleOpen = "open".equals(x.getElementText().trim());
            } else {
              skip(x);
            }
          }
        } else if (is(x, PIDF_NS, "contact")) {
          String p = x.getAttributeValue(null, "priority");
          x.getElementText();
          if (p != null) {
            try {
              contactPriority = Double.parseDouble(p.trim());
            } catch (NumberFormatException e) {
              contactPriority = null; // RFC 3863 §4.1.5: a qvalue; anything else says nothing
            }
          }
        } else if (is(x, PIDF_NS, "note") && note == null) {
          note = x.getElementText();
        } else {
          skip(x);
        }
      }
      if (tupleOpen) {
        open = true;
        if (openTupleNote == null) {
          openTupleNote = note;
        }
        if (contactPriority != null && (priority == null || contactPriority > priority)) {
          priority = contactPriority;
        }
      }
      if (anyTupleNote == null) {
        anyTupleNote = note;
      }
    }

    private void person(XMLStreamReader x) throws XMLStreamException {
      while (next(x)) {
        if (is(x, RPID_NS, "activities")) {
          while (next(x)) {
            if (RPID_NS.equals(x.getNamespaceURI())) {
              if (x.getLocalName().equals("other")) {
                others.add(x.getElementText());
                continue;
              }
              activities.add(x.getLocalName());
            }
            skip(x);
          }
        } else if (is(x, DATA_MODEL_NS, "note") && personNote == null) {
          personNote = x.getElementText();
        } else {
          skip(x);
        }
      }
    }

    /** Moves to the next child element of the current one: false at the current one's end. */
    private static boolean next(XMLStreamReader x) throws XMLStreamException {
      while (x.hasNext()) {
        int e = x.next();
        if (e == XMLStreamConstants.START_ELEMENT) {
          return true;
        }
        if (e == XMLStreamConstants.END_ELEMENT) {
          return false;
        }
      }
      return false;
    }

    /** Skips the rest of the current element, children included. */
    private static void skip(XMLStreamReader x) throws XMLStreamException {
      int depth = 1;
      while (depth > 0 && x.hasNext()) {
        int e = x.next();
        if (e == XMLStreamConstants.START_ELEMENT) {
          depth++;
        } else if (e == XMLStreamConstants.END_ELEMENT) {
          depth--;
        }
      }
    }

    private static boolean is(XMLStreamReader x, String ns, String local) {
      return local.equals(x.getLocalName()) && ns.equals(x.getNamespaceURI());
    }
  }
}
