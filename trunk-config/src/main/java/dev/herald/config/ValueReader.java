package dev.herald.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads one YAML value found at {@code path}.
 *
 * <p>A reader reports what is wrong to {@code problems} and returns null instead of throwing, so
 * that one bad value does not hide the next one.
 */
@FunctionalInterface
interface ValueReader<T> {

  /** The value, or null after adding at least one problem to {@code problems}. */
  T read(JsonNode value, String path, Problems problems);
}
