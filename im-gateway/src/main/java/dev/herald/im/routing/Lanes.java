package dev.herald.im.routing;

/**
 * Runs tasks one at a time per key, in order (a port: presence-gateway's keyed executor). IM
 * routing keys by the recipient's address, so messages to one user leave in the order they came.
 */
@FunctionalInterface
public interface Lanes {
  void execute(String key, Runnable task);
}
