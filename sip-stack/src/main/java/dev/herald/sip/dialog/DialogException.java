package dev.herald.sip.dialog;

/** A request lacks what a dialog needs; the message says what, for a 400 reason phrase. */
public final class DialogException extends Exception {
  private static final long serialVersionUID = 1L;

  public DialogException(String message) {
    super(message);
  }
}
