package dev.herald.config;

/**
 * Builds the paths problems are reported at: {@code presence.publish.min-expires}, {@code
 * listeners[1].port}.
 */
final class YamlPath {

  private YamlPath() {}

  /** The path of {@code key} inside the mapping at {@code parent}; the root's path is empty. */
  static String key(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  /** The path of item {@code index} of the list at {@code parent}. */
  static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }
}
