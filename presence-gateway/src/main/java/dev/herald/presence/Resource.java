package dev.herald.presence;

/**
 * What a watcher watches and a publisher publishes: a presentity's address in one event package.
 *
 * @param address the presentity, normalized as {@code sip:user@domain}
 * @param eventPackage the package name, e.g. {@code presence}
 */
public record Resource(String address, String eventPackage) {
  @Override
  public String toString() {
    return address + " (" + eventPackage + ")";
  }
}
