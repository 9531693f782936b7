package dev.herald.presence.dialog;

import java.util.Locale;
import java.util.Optional;

/** The state of one dialog (RFC 4235 §3.7.1, the {@code state} element). */
public enum DialogState {
  TRYING,
  PROCEEDING,
  EARLY,
  CONFIRMED,
  TERMINATED;

  /** As written in the document: {@code early}, {@code confirmed}... */
  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The state a token names, if any. */
  public static Optional<DialogState> of(String token) {
    for (DialogState s : values()) {
      if (s.token().equals(token)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
