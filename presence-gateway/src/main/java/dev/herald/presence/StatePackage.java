package dev.herald.presence;

import java.util.List;

/**
 * An event package whose state presentities publish (RFC 3903) and the engine composes: the body
 * type it accepts in PUBLISH, and how published documents become the one document a watcher
 * receives. Watchers of such a package are authorized (RFC 3856 §6.6.2).
 */
public interface StatePackage extends EventPackage {

  /** The body type PUBLISH must carry, e.g. {@code application/pidf+xml}. */
  String publishContentType();

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
   * The document a Cisco client (one that asked for {@code application/cpim-pidf+xml}) receives; by
   * default the same as {@link #compose}.
   */
  default String composeForCisco(String entity, List<Object> documents, boolean registered) {
    return compose(entity, documents, registered);
  }

  /**
   * The document a politely blocked watcher of {@code entity} receives, always the same: it must
   * reveal nothing of the presentity's state, nor that the watcher is blocked.
   */
  String politeBlock(String entity);
}
