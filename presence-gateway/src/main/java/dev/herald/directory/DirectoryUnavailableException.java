package dev.herald.directory;

/**
 * A lookup could not be answered: the LDAP server is down, refused, or did not answer within the
 * configured timeout. It is not "no such user": a registrar should answer 503 or 500, not 404 or
 * 403.
 */
public final class DirectoryUnavailableException extends RuntimeException {

  DirectoryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
