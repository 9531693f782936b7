package dev.herald.config;

/**
 * What Herald does with a new watcher of a presentity (RFC 3856 §6.6.2, authorization).
 *
 * <ul>
 *   <li>{@link #ALLOW}: the subscription is active and the watcher gets the presentity's state.
 *   <li>{@link #CONFIRM}: the subscription is accepted but pending (RFC 6665): the watcher gets no
 *       state until the presentity allows or denies it.
 *   <li>{@link #BLOCK}: polite blocking: the subscription is active, but the watcher only ever sees
 *       the presentity as closed, never an answer that reveals the block.
 * </ul>
 */
public enum WatcherPolicy {
  ALLOW,
  CONFIRM,
  BLOCK
}
