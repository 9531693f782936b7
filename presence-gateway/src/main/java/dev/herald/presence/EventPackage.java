package dev.herald.presence;

import java.util.List;

/**
 * An event package served by the engine (RFC 6665 §7): its name, the body type it accepts in
 * PUBLISH, the body types it can deliver in NOTIFY, and how published documents become the one
 * document a watcher receives. The engine knows no package; a package knows no SIP.
 */
public interface EventPackage {

  /** The name in the Event header, e.g. {@code presence}. */
  String name();

  /** The body type PUBLISH must carry, e.g. {@code application/pidf+xml}. */
  String publishContentType();

  /**
   * The body types a watcher may ask for in Accept, each mapped to the type Herald sends; the first
   * is the default when the watcher sends no Accept (RFC 6665 §4.1.2).
   */
  List<AcceptedType> acceptedTypes();

  /**
   * Parses and checks a published body.
   *
   * @throws BadDocumentException with a reason fit for a 400 reason phrase
   */
  Object parse(byte[] body) throws BadDocumentException;

  /**
   * The document a watcher of {@code entity} receives: {@code documents} are the parsed bodies of
   * its live publications, oldest first; empty when nothing is published. {@code registered} says
   * whether the presentity has a live registration and registration counts as presence
   * (registrar.registration-as-presence), for a package to use when nothing is published.
   */
  String compose(String entity, List<Object> documents, boolean registered);

  /**
   * A type a watcher may accept, and the Content-Type Herald then sends.
   *
   * @param accepted as it appears in Accept
   * @param sent the Content-Type of the NOTIFY body
   */
  record AcceptedType(String accepted, String sent) {}
}
