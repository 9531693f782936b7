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

  /**
   * The other state packages whose publications this one composes too: {@link #compose} gets their
   * documents after its own, and a change to them is a change to this package's state (the dialog
   * package derives a dialog from the telephony presence of {@code presence}). None by default.
   */
  default List<String> derivedFrom() {
    return List.of();
  }

  /**
   * A publication of {@code entity} in this package has just set {@code document}, on the
   * presentity's lane, whether or not anyone watches. Nothing by default.
   */
  default void published(String entity, Object document) {}

  /**
   * Whether each subscription's documents carry a version of their own, counting its NOTIFYs from 0
   * (RFC 4235 §4.1); then {@link #withVersion} sets it as each NOTIFY is sent.
   */
  default boolean countsVersions() {
    return false;
  }

  /** {@code document}, as {@link #compose} wrote it, carrying {@code version}. */
  default String withVersion(String document, long version) {
    return document;
  }
}
