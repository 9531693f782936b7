package dev.herald.sip;

/**
 * Handles one SIP method. Called on a JAIN-SIP thread, possibly concurrently: it must not block on
 * I/O. It answers through {@link IncomingRequest#respond} now or later, from any thread, and must
 * answer every request exactly once.
 */
@FunctionalInterface
public interface RequestHandler {
  void handle(IncomingRequest request);
}
