package dev.herald.config;

/** Checks DNS host names by the rules of RFC 1035 §2.3.1 as relaxed by RFC 1123 §2.1. */
final class HostNames {

  private static final int MAX_NAME_LENGTH = 253;
  private static final int MAX_LABEL_LENGTH = 63;

  private HostNames() {}

  /**
   * Whether {@code name} is a host name: dot-separated labels of 1 to 63 ASCII letters, digits and
   * hyphens, no label starting or ending with a hyphen, at most 253 characters, no trailing dot.
   * The last label must not be all digits, so an IPv4 address is not taken for a host name (RFC
   * 1123 §2.1).
   */
  static boolean isValid(String name) {
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      return false;
    }
    String[] labels = name.split("\\.", -1);
    for (String label : labels) {
      if (!isLabel(label)) {
        return false;
      }
    }
    return !labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static boolean isLabel(String label) {
    if (label.isEmpty()
        || label.length() > MAX_LABEL_LENGTH
        || label.charAt(0) == '-'
        || label.charAt(label.length() - 1) == '-') {
      return false;
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      boolean letterOrDigit =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!letterOrDigit && c != '-') {
        return false;
      }
    }
    return true;
  }
}
