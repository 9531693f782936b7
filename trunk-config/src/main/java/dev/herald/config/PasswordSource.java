package dev.herald.config;

import java.nio.file.Path;

/**
 * Where a password is read from when Herald starts: a file or an environment variable, never the
 * configuration itself. Exactly one of the two is set.
 *
 * @param file a file whose first line is the password, resolved like the users file; null when
 *     {@code env} is given
 * @param env the name of an environment variable holding the password; null when {@code file} is
 *     given
 */
public record PasswordSource(Path file, String env) {

  public PasswordSource {
    if ((file == null) == (env == null)) {
      throw new IllegalArgumentException("exactly one of file and env must be given");
    }
  }

  public static PasswordSource file(Path file) {
    return new PasswordSource(file, null);
  }

  public static PasswordSource env(String name) {
    return new PasswordSource(null, name);
  }

  /** {@code file /etc/herald/ks-password} or {@code environment variable HERALD_KS_PASSWORD}. */
  @Override
  public String toString() {
    return file != null ? "file " + file : "environment variable " + env;
  }
}
