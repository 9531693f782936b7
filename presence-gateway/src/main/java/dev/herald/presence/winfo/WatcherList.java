package dev.herald.presence.winfo;

import dev.herald.presence.pidf.XmlWriter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The watchers of one resource in one event package, as an RFC 3858 {@code <watcher-list>}: an
 * immutable snapshot that renders as a full-state watcher information document.
 *
 * @param resource the watched resource, e.g. {@code sip:alice@herald.test}
 * @param eventPackage the package watched, e.g. {@code presence}
 * @param watchers in the order they subscribed
 */
public record WatcherList(String resource, String eventPackage, List<Watcher> watchers) {

  /** The body type of watcher information (RFC 3858). */
  public static final String CONTENT_TYPE = "application/watcherinfo+xml";

  /** The namespace of watcher information documents (RFC 3858). */
  public static final String NAMESPACE = "urn:ietf:params:xml:ns:watcherinfo";

  private static final String XML_DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

  public WatcherList {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(eventPackage, "eventPackage");
    watchers = List.copyOf(watchers);
  }

  /**
   * The subscription state of a watcher (RFC 3858 §3, RFC 3857's state machine): {@code pending}
   * waits for authorization, {@code active} receives state, {@code waiting} timed out while
   * pending, {@code terminated} ended.
   */
  public enum Status {
    PENDING,
    ACTIVE,
    WAITING,
    TERMINATED;

    String token() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The event that caused a watcher's last change of status (RFC 3858 §3, RFC 3857). */
  public enum Event {
    SUBSCRIBE,
    APPROVED,
    DEACTIVATED,
    PROBATION,
    REJECTED,
    TIMEOUT,
    GIVEUP,
    NORESOURCE;

    String token() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One watcher (RFC 3858 {@code <watcher>}).
   *
   * @param id identifies the subscription in the list, the same in every document
   * @param uri the watcher's address, the element's content
   * @param status the subscription's state
   * @param event what caused it
   */
  public record Watcher(String id, String uri, Status status, Event event) {
    public Watcher {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(event, "event");
    }
  }

  /**
   * The whole list as a watcher information document with {@code state="full"} (RFC 3858 §3): its
   * receiver replaces what it knew, and a watcher listed as terminated is one it forgets (RFC 3858
   * §4). Every value is escaped; characters XML cannot carry become U+FFFD.
   *
   * @param version the document's version: 0 in a subscription's first NOTIFY, one more in each
   *     NOTIFY after it
   */
  public String document(long version) {
    if (version < 0) {
      throw new IllegalArgumentException("version must not be negative, was " + version);
    }
    StringBuilder out = new StringBuilder(200 + 120 * watchers.size());
    out.append(XML_DECLARATION)
        .append("<watcherinfo xmlns=\"")
        .append(NAMESPACE)
        .append("\" version=\"")
        .append(version)
        .append("\" state=\"full\">")
        .append("<watcher-list resource=\"");
    XmlWriter.attributeValue(out, xmlChars(resource));
    out.append("\" package=\"");
    XmlWriter.attributeValue(out, xmlChars(eventPackage));
    out.append("\">");
    for (Watcher w : watchers) {
      out.append("<watcher id=\"");
      XmlWriter.attributeValue(out, xmlChars(w.id()));
      out.append("\" status=\"")
          .append(w.status().token())
          .append("\" event=\"")
          .append(w.event().token())
          .append("\">");
      XmlWriter.text(out, xmlChars(w.uri()));
      out.append("</watcher>");
    }
    return out.append("</watcher-list></watcherinfo>").toString();
  }

  /** {@code s} with every character XML 1.0 cannot hold replaced by U+FFFD. */
  static String xmlChars(String s) {
    if (XmlWriter.isXmlText(s)) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else {
        out.append(XmlWriter.isXmlText(String.valueOf(c)) ? c : '\uFFFD');
      }
    }
    return out.toString();
  }
}
