package dev.herald.presence.pidf;

/**
 * A PIDF body Herald will not accept. The message is short, single-line ASCII, fit for the reason
 * phrase of a 400 response.
 */
public final class PidfException extends Exception {
  private static final long serialVersionUID = 1L;
  private static final int MAX_REASON = 99;

  public PidfException(String reason) {
    super(clean(reason));
  }

  public PidfException(String reason, Throwable cause) {
    super(clean(reason), cause);
  }

  /** The reason phrase: printable ASCII, no CR/LF, fewer than 100 characters. */
  public String reason() {
    return getMessage();
  }

  // A reason phrase must not break the SIP status line (RFC 3261 §25.1 Reason-Phrase).
  private static String clean(String reason) {
    String s = reason == null || reason.isEmpty() ? "Malformed PIDF" : reason;
    StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_REASON));
    for (int i = 0; i < s.length() && out.length() < MAX_REASON; i++) {
      char c = s.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.toString();
  }
}
