package dev.herald.directory;

/** The directory cannot be opened: a broken users file, an unreachable LDAP server, a bad bind. */
public final class DirectoryException extends Exception {

  DirectoryException(String message) {
    super(message);
  }

  DirectoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
