package dev.herald.presence;

import java.util.List;

/**
 * An event package served by the engine (RFC 6665 §7): its name and the body types it can deliver
 * in NOTIFY. A {@link StatePackage} carries state that presentities publish; a {@link
 * WatcherInfoPackage} carries who watches such state. A package knows no SIP.
 */
public interface EventPackage {

  /** The name in the Event header, e.g. {@code presence}. */
  String name();

  /**
   * The body types a watcher may ask for in Accept, each mapped to the type Herald sends; the first
   * is the default when the watcher sends no Accept (RFC 6665 §4.1.2).
   */
  List<AcceptedType> acceptedTypes();

  /**
   * A type a watcher may accept, and the Content-Type Herald then sends.
   *
   * @param accepted as it appears in Accept
   * @param sent the Content-Type of the NOTIFY body
   */
  record AcceptedType(String accepted, String sent) {}
}
