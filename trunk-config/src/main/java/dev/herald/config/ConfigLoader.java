package dev.herald.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Reads Herald's YAML configuration into a {@link HeraldConfig}.
 *
 * <p>Every problem in the file is reported at once, in document order, each with its path; the
 * records are built only when there is none. Call it before binding any socket.
 *
 * <p>Relative paths in the file ({@code directory.users-file}) are resolved against the folder the
 * configuration came from. When there is a folder, the users file it names is read too, and a
 * missing or invalid one is reported at {@code directory.users-file} with the other problems.
 */
public final class ConfigLoader {

  /** The classpath copy of {@code config/herald.yaml}, relative to this class's package. */
  private static final String DEFAULT_RESOURCE = "herald.yaml";

  private static final String DEFAULT_USERS_RESOURCE = "users.yaml";

  private static final String DEFAULT_SOURCE = "classpath:dev/herald/config/herald.yaml";

  private ConfigLoader() {}

  /**
   * Reads and validates {@code file}, which must be UTF-8, with the users file it names; relative
   * paths in it are resolved against the file's folder.
   *
   * @throws ConfigException listing every problem; a file that cannot be read is one problem at the
   *     empty path, naming the file
   */
  public static HeraldConfig load(Path file) throws ConfigException {
    Objects.requireNonNull(file, "file");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(
          file.toString(),
          List.of(new ConfigProblem("", "cannot read " + file + ": " + reason(e))));
    }
    Path folder = file.toAbsolutePath().getParent();
    return parse(text, file.toString(), folder, true);
  }

  /**
   * Validates YAML text that comes from no folder: relative paths in it are resolved against the
   * current directory, and the users file it names is not read (the directory reads it when it
   * opens).
   *
   * @param sourceName where the text came from, put before every line of the exception's message
   * @throws ConfigException listing every problem
   */
  public static HeraldConfig parse(String yaml, String sourceName) throws ConfigException {
    return parse(yaml, sourceName, Path.of("").toAbsolutePath(), false);
  }

  /**
   * Validates YAML text as if it were a file in {@code baseDir}: relative paths in it are resolved
   * against {@code baseDir}, and the users file it names must be there and valid.
   *
   * @param sourceName where the text came from, put before every line of the exception's message
   * @throws ConfigException listing every problem
   */
  public static HeraldConfig parse(String yaml, String sourceName, Path baseDir)
      throws ConfigException {
    Objects.requireNonNull(baseDir, "baseDir");
    return parse(yaml, sourceName, baseDir.toAbsolutePath(), true);
  }

  private static HeraldConfig parse(
      String yaml, String sourceName, Path baseDir, boolean checkFiles) throws ConfigException {
    Objects.requireNonNull(yaml, "yaml");
    Objects.requireNonNull(sourceName, "sourceName");
    Problems problems = new Problems();
    JsonNode document = YamlDocument.read(yaml, problems);
    HeraldConfig config = null;
    if (document != null && (document.isMissingNode() || document.isNull())) {
      problems.add("", "the file is empty; it needs at least listeners and domains");
    } else if (document != null) {
      config = HeraldSchema.read(document, baseDir, checkFiles, problems);
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(sourceName, problems.list());
    }
    return config;
  }

  /**
   * Reads the default configuration packaged with Herald, the copy of {@code config/herald.yaml} at
   * {@code dev/herald/config/herald.yaml} on the classpath, with the packaged copy of the users
   * file it names ({@code config/users.yaml}, the demo users): that copy is written to a private
   * temporary folder, deleted when the JVM exits, which the configuration's relative paths resolve
   * against. So {@code java -jar herald.jar} runs from any folder.
   *
   * @throws ConfigException if the copy is missing or, after a bad edit, invalid
   */
  public static HeraldConfig loadDefault() throws ConfigException {
    String text;
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new ConfigException(
            DEFAULT_SOURCE,
            List.of(
                new ConfigProblem("", "the default configuration is missing from the classpath")));
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(
          DEFAULT_SOURCE, List.of(new ConfigProblem("", "cannot read: " + reason(e))));
    }
    return parse(text, DEFAULT_SOURCE, unpackDefaultUsers());
  }

  /** A new private folder holding the packaged users file, both deleted when the JVM exits. */
  private static Path unpackDefaultUsers() throws ConfigException {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULT_USERS_RESOURCE)) {
      if (in == null) {
        throw new ConfigException(
            DEFAULT_SOURCE,
            List.of(
                new ConfigProblem(
                    "directory.users-file",
                    "the default users file is missing from the classpath")));
      }
      Path dir = Files.createTempDirectory("herald-default-config-");
      Path users = dir.resolve(DEFAULT_USERS_RESOURCE);
      Files.copy(in, users);
      dir.toFile().deleteOnExit();
      users.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new ConfigException(
          DEFAULT_SOURCE,
          List.of(
              new ConfigProblem(
                  "directory.users-file", "cannot unpack the default users file: " + reason(e))));
    }
  }

  /** Why a read failed, in words; the JDK's messages for these are often just the path again. */
  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof CharacterCodingException) {
      return "not UTF-8 text";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
