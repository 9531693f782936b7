package dev.herald.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Reads a users file into a {@link UsersFile}. Like {@link ConfigLoader}, it reports every problem
 * at once, each with its path ({@code users[1].ha1-md5: must be 32 lower-case hex digits ...}).
 *
 * <p>The format, UTF-8 YAML:
 *
 * <pre>{@code
 * realm: herald.test                      # required: the realm the hashes were computed for
 * users:                                  # required; may be empty
 *   - id: alice                           # required, unique: letters, digits, . _ - +
 *     display-name: Alice Example         # optional; default: the id
 *     addresses: [sip:alice@herald.test]  # required, at least one; no address on two users
 *     enabled: true                       # optional; default true
 *     ha1-md5: <32 lower-case hex>        # MD5(id:realm:password)
 *     ha1-sha256: <64 lower-case hex>     # SHA-256(id:realm:password); one of the two, or both
 *     presence-allow: [sip:bob@herald.test, *@partner.example]  # optional: always allowed to
 *     presence-block: [*@spam.example]    # watch this user; optional: politely blocked
 * }</pre>
 *
 * <p>{@link UsersFile#ha1} computes the hashes.
 */
public final class UsersFileLoader {

  private UsersFileLoader() {}

  /**
   * Reads and validates {@code file}.
   *
   * @throws ConfigException listing every problem, with paths inside the users file; a file that
   *     cannot be read is one problem at the empty path, naming the file
   */
  public static UsersFile load(Path file) throws ConfigException {
    Objects.requireNonNull(file, "file");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(
          file.toString(),
          List.of(new ConfigProblem("", "cannot read " + file + ": " + ConfigLoader.reason(e))));
    }
    Problems problems = new Problems();
    UsersFile users = parse(text, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(file.toString(), problems.list());
    }
    return users;
  }

  /** Validates the text of a users file; null when {@code problems} gained any. */
  static UsersFile parse(String yaml, Problems problems) {
    int before = problems.size();
    JsonNode document = YamlDocument.read(yaml, problems);
    if (document != null && (document.isMissingNode() || document.isNull())) {
      problems.add("", "the file is empty; it needs realm and users");
      return null;
    }
    UsersFile users = document == null ? null : UsersSchema.read(document, problems);
    return problems.size() == before ? users : null;
  }
}
