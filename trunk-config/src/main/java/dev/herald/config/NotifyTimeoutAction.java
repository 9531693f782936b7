package dev.herald.config;

/**
 * What a NOTIFY answered 408, or timing out, does to its subscription. The YAML spells them in
 * lower case: {@code terminate}, {@code keep}. Kamailio and OpenSIPS both make this choice
 * configurable, because some phones drop a NOTIFY now and then yet stay subscribed.
 */
public enum NotifyTimeoutAction {
  /** End the subscription, as RFC 6665 §4.2.2 prescribes for a failed NOTIFY. */
  TERMINATE,
  /** Keep the subscription; the next NOTIFY tries again. */
  KEEP
}
