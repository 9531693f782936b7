package dev.herald.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration that Herald must not start with. It carries every problem found, in document
 * order, so one run of the validator is enough to fix the file.
 */
public final class ConfigException extends Exception {

  private final List<ConfigProblem> problems;

  ConfigException(String sourceName, List<ConfigProblem> problems) {
    super(message(sourceName, problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in document order; never empty. */
  public List<ConfigProblem> problems() {
    return problems;
  }

  private static String message(String sourceName, List<ConfigProblem> problems) {
    return problems.stream()
        .map(problem -> sourceName + ": " + problem)
        .collect(Collectors.joining("\n"));
  }
}
