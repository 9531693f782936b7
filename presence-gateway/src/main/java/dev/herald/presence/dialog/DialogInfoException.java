package dev.herald.presence.dialog;

/** A body that is no usable dialog-info document; the message fits a 400 reason phrase. */
public final class DialogInfoException extends Exception {
  private static final long serialVersionUID = 1L;

  public DialogInfoException(String message) {
    super(message);
  }

  public DialogInfoException(String message, Throwable cause) {
    super(message, cause);
  }
}
