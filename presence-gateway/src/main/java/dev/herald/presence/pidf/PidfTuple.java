package dev.herald.presence.pidf;

import java.util.Optional;

/** A PIDF tuple (RFC 3863 §4): its id, its basic status, and the tuple as published. */
public final class PidfTuple {
  private final String id;
  private final String basic;
  final PidfElement element;

  PidfTuple(String id, String basic, PidfElement element) {
    this.id = id;
    this.basic = basic;
    this.element = element;
  }

  public String id() {
    return id;
  }

  /** {@code "open"} or {@code "closed"}; empty when the status has no basic element. */
  public Optional<String> basic() {
    return Optional.ofNullable(basic);
  }

  /** The tuple as a standalone XML fragment (see {@link PidfElement#toXml()}). */
  public String toXml() {
    return element.toXml();
  }

  @Override
  public String toString() {
    return toXml();
  }
}
