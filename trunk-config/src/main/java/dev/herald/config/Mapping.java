package dev.herald.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a YAML mapping with a fixed set of keys into a value of type {@code T}.
 *
 * <p>The keys are read in the order the document gives them, so problems come out in document
 * order: an unknown key, then a bad value, as they appear. Missing required keys follow, then the
 * {@link Check} for rules that involve several keys. The value is built only when every key has a
 * valid value.
 */
final class Mapping<T> implements ValueReader<T> {

  /** Builds the value from fields that are all valid. */
  @FunctionalInterface
  interface Builder<T> {
    T build(Fields fields);
  }

  /** A rule between keys of the mapping; it must skip keys that are not {@link Fields#valid}. */
  @FunctionalInterface
  interface Check {
    void check(Fields fields, String path, Problems problems);
  }

  private final Map<String, Key<?>> keys = new LinkedHashMap<>();
  private final Builder<T> builder;
  private final Check check;

  private Mapping(List<Key<?>> keys, Builder<T> builder, Check check) {
    for (Key<?> key : keys) {
      if (this.keys.put(key.name(), key) != null) {
        throw new IllegalArgumentException("key declared twice: " + key.name());
      }
    }
    this.builder = Objects.requireNonNull(builder, "builder");
    this.check = Objects.requireNonNull(check, "check");
  }

  static <T> Mapping<T> of(List<Key<?>> keys, Builder<T> builder) {
    return new Mapping<>(keys, builder, (fields, path, problems) -> {});
  }

  static <T> Mapping<T> of(List<Key<?>> keys, Builder<T> builder, Check check) {
    return new Mapping<>(keys, builder, check);
  }

  @Override
  public T read(JsonNode value, String path, Problems problems) {
    if (!value.isObject()) {
      problems.add(path, "must be a mapping, was " + Values.describe(value));
      return null;
    }
    Fields fields = new Fields();
    for (Map.Entry<String, JsonNode> entry : value.properties()) {
      String keyPath = YamlPath.key(path, entry.getKey());
      Key<?> key = keys.get(entry.getKey());
      if (key == null) {
        problems.add(
            keyPath, "unknown key (expected one of: " + String.join(", ", keys.keySet()) + ")");
      } else {
        fields.read(key, entry.getValue(), keyPath, problems);
      }
    }
    for (Key<?> key : keys.values()) {
      if (key.required() && !fields.given(key)) {
        problems.add(YamlPath.key(path, key.name()), "required");
      }
    }
    check.check(fields, path, problems);
    return fields.valid(keys.values().toArray(Key<?>[]::new)) ? builder.build(fields) : null;
  }

  /**
   * The value every key's default gives, as when the mapping is absent from the document.
   *
   * @throws IllegalStateException when the mapping has a required key or its defaults break its own
   *     check: a mistake in the schema, not in the file
   */
  T defaults() {
    Problems problems = new Problems();
    T value = read(JsonNodeFactory.instance.objectNode(), "", problems);
    if (!problems.isEmpty()) {
      throw new IllegalStateException("the schema's defaults are invalid: " + problems);
    }
    return value;
  }
}
