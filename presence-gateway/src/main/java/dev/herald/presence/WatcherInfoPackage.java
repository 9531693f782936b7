package dev.herald.presence;

import dev.herald.presence.winfo.WatcherList;
import java.util.List;
import java.util.Objects;

/**
 * The watcher information template-package applied to a state package (RFC 3857): {@code
 * presence.winfo} tells a presentity who watches its {@code presence} and how each subscription
 * stands, in {@code application/watcherinfo+xml} documents (RFC 3858). Nothing is published to it:
 * its state is the engine's subscriptions to the watched package.
 */
public final class WatcherInfoPackage implements EventPackage {
  private static final String SUFFIX = ".winfo";

  private final String watched;

  /**
   * @param watched the name of the package whose watchers are listed, e.g. {@code presence}
   */
  public WatcherInfoPackage(String watched) {
    this.watched = Objects.requireNonNull(watched, "watched");
  }

  @Override
  public String name() {
    return watched + SUFFIX;
  }

  /** The package whose watchers this one lists. */
  public String watched() {
    return watched;
  }

  @Override
  public List<AcceptedType> acceptedTypes() {
    return List.of(new AcceptedType(WatcherList.CONTENT_TYPE, WatcherList.CONTENT_TYPE));
  }
}
