package dev.herald.presence;

/** A published body that cannot be used; the message is a reason phrase for 400. */
public final class BadDocumentException extends Exception {
  private static final long serialVersionUID = 1L;

  public BadDocumentException(String message) {
    super(message);
  }
}
