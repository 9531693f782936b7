package dev.herald.im.presence;

import java.util.Locale;
import java.util.Optional;

/** An available XMPP entity's {@code <show/>} (RFC 6121 §4.7.2.1); {@link #NONE} when absent. */
public enum Show {
  /** No {@code <show/>}: simply available. */
  NONE,
  /** Free for chat. */
  CHAT,
  /** Away for a short while. */
  AWAY,
  /** Extended away. */
  XA,
  /** Do not disturb. */
  DND;

  /** The element's text, or empty for {@link #NONE}. */
  public Optional<String> xmlValue() {
    return this == NONE ? Optional.empty() : Optional.of(name().toLowerCase(Locale.ROOT));
  }

  /**
   * The value of a {@code <show/>} element's text; empty for a value RFC 6121 does not define (the
   * stanza is then taken as plainly available, RFC 6121 §4.7.2.1 lists exactly four).
   */
  public static Optional<Show> fromXml(String text) {
    return switch (text.trim()) {
      case "chat" -> Optional.of(CHAT);
      case "away" -> Optional.of(AWAY);
      case "xa" -> Optional.of(XA);
      case "dnd" -> Optional.of(DND);
      default -> Optional.empty();
    };
  }
}
