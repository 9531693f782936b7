package dev.herald.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Readers for the kinds of value the schema uses. Each checks the YAML type strictly: a quoted
 * {@code "5060"} is a string, not a port, and {@code 1.5} is not an integer, because guessing what
 * was meant is how a configuration ends up meaning something else.
 */
final class Values {

  /** Longest string quoted back in a message; longer ones are cut so the message stays a line. */
  private static final int QUOTE_LIMIT = 60;

  private Values() {}

  /** An integer in {@code min..max}. */
  static ValueReader<Integer> integer(int min, int max) {
    String range =
        max == Integer.MAX_VALUE ? "must be at least " + min : "must be " + min + ".." + max;
    return (value, path, problems) -> {
      if (!value.isIntegralNumber()) {
        problems.add(path, "must be an integer, was " + describe(value));
        return null;
      }
      BigInteger number = value.bigIntegerValue();
      if (number.compareTo(BigInteger.valueOf(min)) < 0
          || number.compareTo(BigInteger.valueOf(max)) > 0) {
        problems.add(path, range + ", was " + number);
        return null;
      }
      return number.intValue();
    };
  }

  /** {@code true} or {@code false}. */
  static ValueReader<Boolean> bool() {
    return (value, path, problems) -> {
      if (!value.isBoolean()) {
        problems.add(path, "must be true or false, was " + describe(value));
        return null;
      }
      return value.booleanValue();
    };
  }

  /**
   * One of the constants of {@code type}, spelled in lower case. {@code notYet} maps words that
   * name a planned but unsupported choice to the message that says so.
   */
  static <E extends Enum<E>> ValueReader<E> lowerCaseEnum(
      Class<E> type, Map<String, String> notYet) {
    Map<String, E> choices = new LinkedHashMap<>();
    for (E constant : type.getEnumConstants()) {
      choices.put(constant.name().toLowerCase(Locale.ROOT), constant);
    }
    String expected = "must be one of: " + String.join(", ", choices.keySet());
    return (value, path, problems) -> {
      E choice = value.isTextual() ? choices.get(value.textValue()) : null;
      if (choice != null) {
        return choice;
      }
      String refusal = value.isTextual() ? notYet.get(value.textValue()) : null;
      problems.add(path, refusal != null ? refusal : expected + ", was " + describe(value));
      return null;
    };
  }

  /**
   * Says whether a list item clashes with an earlier one.
   *
   * @param <T> the item type
   */
  @FunctionalInterface
  interface Conflict<T> {
    /**
     * What is wrong with {@code later} given {@code earlier} at {@code earlierPath}; null if
     * nothing.
     */
    String between(T earlier, String earlierPath, T later);
  }

  /**
   * A list of at least one {@code item}. Each item is checked against the valid items before it,
   * and a clash is reported on the later item, naming the earlier.
   *
   * @param itemName what an item is, for the message about an empty list
   */
  static <T> ValueReader<List<T>> nonEmptyList(
      String itemName, ValueReader<T> item, Conflict<T> conflict) {
    return list(itemName, true, item, conflict);
  }

  /** A list of {@code item}s that may be empty ({@code []}), checked as {@link #nonEmptyList}. */
  static <T> ValueReader<List<T>> list(ValueReader<T> item, Conflict<T> conflict) {
    return list("item", false, item, conflict);
  }

  private static <T> ValueReader<List<T>> list(
      String itemName, boolean nonEmpty, ValueReader<T> item, Conflict<T> conflict) {
    return (value, path, problems) -> {
      if (!value.isArray()) {
        problems.add(path, "must be a list, was " + describe(value));
        return null;
      }
      if (nonEmpty && value.isEmpty()) {
        problems.add(path, "must list at least one " + itemName);
        return null;
      }
      List<T> items = new ArrayList<>();
      List<String> itemPaths = new ArrayList<>();
      boolean allValid = true;
      for (int i = 0; i < value.size(); i++) {
        String itemPath = YamlPath.index(path, i);
        T read = item.read(value.get(i), itemPath, problems);
        if (read == null) {
          allValid = false;
          continue;
        }
        for (int j = 0; j < items.size(); j++) {
          String clash = conflict.between(items.get(j), itemPaths.get(j), read);
          if (clash != null) {
            problems.add(itemPath, clash);
            allValid = false;
            break;
          }
        }
        items.add(read);
        itemPaths.add(itemPath);
      }
      return allValid ? List.copyOf(items) : null;
    };
  }

  /** The conflict of an item equal to an earlier one: {@code duplicates domains[0] (x)}. */
  static <T> String duplicate(T earlier, String earlierPath, T later) {
    return earlier.equals(later) ? "duplicates " + earlierPath + " (" + earlier + ")" : null;
  }

  /**
   * A string that {@code check} accepts.
   *
   * @param expected the message for a value that is not a string at all
   * @param check what is wrong with a string, or null when nothing is
   */
  static ValueReader<String> text(String expected, Function<String, String> check) {
    return (value, path, problems) -> {
      if (!value.isTextual()) {
        problems.add(path, expected + ", was " + describe(value));
        return null;
      }
      String problem = check.apply(value.textValue());
      if (problem != null) {
        problems.add(path, problem + ", was " + describe(value));
        return null;
      }
      return value.textValue();
    };
  }

  /**
   * {@code reader}'s value wrapped in an Optional, for an optional key whose absence is a state of
   * its own (no default value stands in for it).
   */
  static <T> ValueReader<Optional<T>> present(ValueReader<T> reader) {
    return (value, path, problems) -> {
      T read = reader.read(value, path, problems);
      return read == null ? null : Optional.of(read);
    };
  }

  /**
   * What a message says was found: {@code "four"}, {@code 70000}, {@code a list}, {@code empty}.
   */
  static String describe(JsonNode value) {
    if (value.isNull() || value.isMissingNode()) {
      return "empty";
    }
    if (value.isArray()) {
      return "a list";
    }
    if (value.isObject()) {
      return "a mapping";
    }
    if (value.isTextual()) {
      String text = value.textValue();
      String shown = text.length() > QUOTE_LIMIT ? text.substring(0, QUOTE_LIMIT) + "..." : text;
      // TextNode.toString() quotes and escapes, so a newline or a quote in the value stays visible.
      return new TextNode(shown).toString();
    }
    if (value.isNumber() || value.isBoolean()) {
      return value.asText();
    }
    return "a " + value.getNodeType().name().toLowerCase(Locale.ROOT) + " value";
  }
}
