package dev.herald.config;

import java.util.Objects;

/**
 * One key of a YAML mapping: its name, whether it must be given, its default and the reader that
 * checks its value.
 */
final class Key<T> {

  private final String name;
  private final boolean required;
  private final boolean emptyMeansDefault;
  private final T defaultValue;
  private final ValueReader<T> reader;

  private Key(
      String name,
      boolean required,
      boolean emptyMeansDefault,
      T defaultValue,
      ValueReader<T> reader) {
    this.name = Objects.requireNonNull(name, "name");
    this.required = required;
    this.emptyMeansDefault = emptyMeansDefault;
    this.defaultValue = defaultValue;
    this.reader = Objects.requireNonNull(reader, "reader");
  }

  /** A key the file must give; absent, it is reported as {@code required}. */
  static <T> Key<T> required(String name, ValueReader<T> reader) {
    return new Key<>(name, true, false, null, reader);
  }

  /**
   * A key that takes {@code defaultValue} when absent. Given with an empty value ({@code
   * thread-pool-size:}), it is a problem: an empty value is more likely a slip than a wish for the
   * default.
   */
  static <T> Key<T> optional(String name, T defaultValue, ValueReader<T> reader) {
    return new Key<>(
        name, false, false, Objects.requireNonNull(defaultValue, "defaultValue"), reader);
  }

  /**
   * An optional nested mapping. Absent or empty ({@code sip:} with every key under it commented
   * out), it takes the defaults of all its keys.
   */
  static <T> Key<T> section(String name, Mapping<T> mapping) {
    return new Key<>(name, false, true, mapping.defaults(), mapping);
  }

  String name() {
    return name;
  }

  boolean required() {
    return required;
  }

  boolean emptyMeansDefault() {
    return emptyMeansDefault;
  }

  /** The default; null for a required key. */
  T defaultValue() {
    return defaultValue;
  }

  ValueReader<T> reader() {
    return reader;
  }

  @Override
  public String toString() {
    return name;
  }
}
