package dev.herald.config;

import java.io.Serializable;
import java.util.Objects;

/**
 * One thing wrong with a configuration file.
 *
 * @param path where in the document, such as {@code listeners[1].port} or {@code
 *     presence.publish.min-expires}; empty for the document as a whole (a file that cannot be read,
 *     does not parse, or is empty)
 * @param message what is wrong and, where there was a value, what was found
 */
public record ConfigProblem(String path, String message) implements Serializable {

  public ConfigProblem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /** {@code path: message}, or just the message when the problem concerns the whole document. */
  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
