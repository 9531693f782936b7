package dev.herald.im.presence;

import dev.herald.im.xmpp.XmlElement;
import java.util.Locale;

/**
 * XMPP presence to SIP: a {@code <presence/>} read as a {@link PresenceInfo} (RFC 6121 §4.7), and
 * that as the PIDF document with RPID activities SIP watchers get (RFC 8048 §6.2, RFC 4480).
 *
 * <table>
 *   <caption>XMPP to PIDF</caption>
 *   <tr><th>XMPP</th><th>PIDF</th></tr>
 *   <tr><td>no type (available)</td><td>{@code <basic>open}</td></tr>
 *   <tr><td>{@code type='unavailable'}</td><td>{@code <basic>closed}</td></tr>
 *   <tr><td>{@code <show>chat}</td><td>activity {@code <rpid:other>chat}</td></tr>
 *   <tr><td>{@code <show>away}</td><td>activity {@code <rpid:away/>}</td></tr>
 *   <tr><td>{@code <show>xa}</td><td>activities {@code <rpid:away/>} and {@code
 *       <rpid:other>extended away} (RFC 4480 has no extended away: SIP clients show away, the
 *       other text keeps it apart)</td></tr>
 *   <tr><td>{@code <show>dnd}</td><td>activity {@code <rpid:busy/>}</td></tr>
 *   <tr><td>{@code <status>}</td><td>the tuple's {@code <note>}</td></tr>
 *   <tr><td>{@code <priority>} -128..127</td><td>the contact's priority, 0..1</td></tr>
 * </table>
 */
public final class XmppToPidf {

  private XmppToPidf() {}

  /**
   * What a {@code <presence/>} without a type, or of type {@code unavailable}, says. A {@code
   * <show/>} RFC 6121 does not define is read as none; a priority that is no integer as 0, one out
   * of range as the nearest bound.
   *
   * @throws IllegalArgumentException when {@code presence} is not a presence stanza of those types
   */
  public static PresenceInfo read(XmlElement presence) {
    String type = presence.attribute("type").orElse("");
    if (!presence.name().equals("presence") || !(type.isEmpty() || type.equals("unavailable"))) {
      throw new IllegalArgumentException(
          "not an availability presence stanza: <" + presence.name() + " type='" + type + "'>");
    }
    String ns = presence.namespace();
    String status = presence.element("status", ns).map(XmlElement::text).orElse("").trim();
    if (!type.isEmpty()) {
      return PresenceInfo.unavailable(status);
    }
    Show show = presence.element("show", ns).flatMap(e -> Show.fromXml(e.text())).orElse(Show.NONE);
    int priority = presence.element("priority", ns).map(e -> priority(e.text())).orElse(0);
    return new PresenceInfo(true, show, status, priority);
  }

  private static int priority(String text) {
    try {
      return (int) Math.max(-128, Math.min(127, Long.parseLong(text.trim())));
    } catch (NumberFormatException e) {
      return 0; // RFC 6121 §4.7.2.3: an integer; anything else says nothing
    }
  }

  /**
   * An XMPP priority as a PIDF contact priority: -128 is 0, 127 is 1 (the reverse of {@link
   * PidfToXmpp#priority}), written with three decimals, enough to come back exact.
   */
  public static String qvalue(int priority) {
    return String.format(Locale.ROOT, "%.3f", (priority + 128) / 255.0);
  }

  /**
   * The PIDF document of {@code entity} saying {@code info}: one tuple ({@code id='xmpp'}) with the
   * basic status, the contact (with the priority) when available, and the status as its note; and
   * the RPID activities of the show in a person element.
   *
   * @param entity the presentity, {@code sip:bob@herald.test}
   * @param contact the address SIP users reach the entity at, usually {@code entity}
   */
  public static String pidf(String entity, PresenceInfo info, String contact) {
    StringBuilder b =
        new StringBuilder(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<presence xmlns=\""
                + PidfToXmpp.PIDF_NS
                + "\" xmlns:dm=\""
                + PidfToXmpp.DATA_MODEL_NS
                + "\" xmlns:rpid=\""
                + PidfToXmpp.RPID_NS
                + "\" entity=\"");
    b.append(escape(entity)).append("\">\n<tuple id=\"xmpp\"><status><basic>");
    b.append(info.available() ? "open" : "closed").append("</basic></status>");
    if (info.available()) {
      b.append("<contact priority=\"")
          .append(qvalue(info.priority()))
          .append("\">")
          .append(escape(contact))
          .append("</contact>");
    }
    if (!info.status().isEmpty()) {
      b.append("<note>").append(escape(info.status())).append("</note>");
    }
    b.append("</tuple>\n");
    String activities = activities(info.show());
    if (!activities.isEmpty()) {
      b.append("<dm:person id=\"xmpp-person\"><rpid:activities>")
          .append(activities)
          .append("</rpid:activities></dm:person>\n");
    }
    return b.append("</presence>\n").toString();
  }

  /** The RPID activities (as XML, prefix {@code rpid}) that say {@code show}. */
  static String activities(Show show) {
    return switch (show) {
      case NONE -> "";
      case CHAT -> "<rpid:other>chat</rpid:other>";
      case AWAY -> "<rpid:away/>";
      case XA -> "<rpid:away/><rpid:other>extended away</rpid:other>";
      case DND -> "<rpid:busy/>";
    };
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
