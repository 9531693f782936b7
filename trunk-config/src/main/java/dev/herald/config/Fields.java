package dev.herald.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The values read from one YAML mapping, by key. */
final class Fields {

  private final Map<Key<?>, Object> values = new HashMap<>();
  private final Set<Key<?>> given = new HashSet<>();

  /** Reads {@code key}'s value, found in the document at {@code path}. */
  <T> void read(Key<T> key, JsonNode value, String path, Problems problems) {
    if (key.emptyMeansDefault() && value.isNull()) {
      return;
    }
    given.add(key);
    T read = key.reader().read(value, path, problems);
    if (read != null) {
      values.put(key, read);
    }
  }

  /** Whether the document gave the key, validly or not. */
  boolean given(Key<?> key) {
    return given.contains(key);
  }

  /** Whether every one of {@code keys} has a value to use: a valid one read, or a default. */
  boolean valid(Key<?>... keys) {
    for (Key<?> key : keys) {
      if (get(key) == null) {
        return false;
      }
    }
    return true;
  }

  /** The value read for {@code key}, its default when absent, or null when invalid or missing. */
  @SuppressWarnings("unchecked") // only read(Key<T>, ...) stores under a key, and it stores a T
  <T> T get(Key<T> key) {
    if (values.containsKey(key)) {
      return (T) values.get(key);
    }
    return given(key) ? null : key.defaultValue();
  }
}
