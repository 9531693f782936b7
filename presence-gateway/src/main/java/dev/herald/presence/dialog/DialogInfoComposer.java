package dev.herald.presence.dialog;

import dev.herald.presence.pidf.XmlWriter;
import java.util.List;

/**
 * Writes the {@code dialog-info} documents watchers receive (RFC 4235 §4.1): always {@code
 * state="full"}, the presentity as {@code entity}. The {@code version} belongs to each watcher's
 * subscription, so a document is written once with version 0 and {@link #withVersion} sets each
 * watcher's number as its NOTIFY is sent.
 */
public final class DialogInfoComposer {
  private static final String HEAD =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<dialog-info xmlns=\""
          + DialogInfoParser.NS
          + "\" version=\"";
  private static final String AFTER_VERSION = "0\" state=\"full\" entity=\"";

  private DialogInfoComposer() {}

  /** The full-state document of {@code entity} listing {@code dialogs}, with version 0. */
  public static String compose(String entity, List<Dialog> dialogs) {
    StringBuilder out = new StringBuilder(128 + 256 * dialogs.size());
    out.append(HEAD).append(AFTER_VERSION);
    XmlWriter.attributeValue(out, entity);
    if (dialogs.isEmpty()) {
      return out.append("\"/>\n").toString();
    }
    out.append("\">\n");
    for (Dialog d : dialogs) {
      dialog(out, d);
    }
    return out.append("</dialog-info>\n").toString();
  }

  /**
   * {@code document}, written by {@link #compose}, with {@code version} in place of its 0.
   *
   * @throws IllegalArgumentException if the document was not written by {@link #compose}
   */
  public static String withVersion(String document, long version) {
    if (!document.startsWith(HEAD + AFTER_VERSION)) {
      throw new IllegalArgumentException("not a document of DialogInfoComposer");
    }
    return HEAD + version + document.substring(HEAD.length() + 1);
  }

  private static void dialog(StringBuilder out, Dialog d) {
    out.append("  <dialog");
    attribute(out, "id", d.id());
    attribute(out, "call-id", d.callId());
    attribute(out, "local-tag", d.localTag());
    attribute(out, "remote-tag", d.remoteTag());
    attribute(out, "direction", d.direction());
    out.append(">\n    <state");
    attribute(out, "event", d.event());
    attribute(out, "code", d.code());
    out.append('>').append(d.state().token()).append("</state>\n");
    participant(out, "local", d.local());
    participant(out, "remote", d.remote());
    out.append("  </dialog>\n");
  }

  private static void participant(StringBuilder out, String name, Dialog.Participant p) {
    if (p == null || (p.identity() == null && p.target() == null)) {
      return;
    }
    out.append("    <").append(name).append(">\n");
    if (p.identity() != null) {
      out.append("      <identity");
      attribute(out, "display", p.display());
      out.append('>');
      XmlWriter.text(out, p.identity());
      out.append("</identity>\n");
    }
    if (p.target() != null) {
      out.append("      <target");
      attribute(out, "uri", p.target());
      out.append("/>\n");
    }
    out.append("    </").append(name).append(">\n");
  }

  private static void attribute(StringBuilder out, String name, String value) {
    if (value != null) {
      out.append(' ').append(name).append("=\"");
      XmlWriter.attributeValue(out, value);
      out.append('"');
    }
  }
}
