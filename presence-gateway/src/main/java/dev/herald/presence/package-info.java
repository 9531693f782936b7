/**
 * The presence engine: PUBLISH (RFC 3903), SUBSCRIBE/NOTIFY (RFC 6665, RFC 3856), composition of
 * what every device publishes, and the store that holds it (soft state with per-entry expiry).
 * Event packages plug in as {@link dev.herald.presence.EventPackage}s; everything that changes one
 * presentity runs on that presentity's lane of a {@link dev.herald.concurrent.KeyedExecutor}.
 */
package dev.herald.presence;
