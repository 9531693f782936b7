/**
 * The presence engine: PUBLISH (RFC 3903), SUBSCRIBE/NOTIFY (RFC 6665, RFC 3856), authorization of
 * watchers (allowed, pending, politely blocked; the rules are in {@code dev.herald.presence.auth}),
 * watcher information (RFC 3857), composition of what every device publishes, and the store that
 * holds it (soft state with per-entry expiry). Event packages plug in as {@link
 * dev.herald.presence.EventPackage}s: {@link dev.herald.presence.StatePackage}s carry published
 * state, a {@link dev.herald.presence.WatcherInfoPackage} lists who watches one. Everything that
 * changes one presentity runs on that presentity's lane of a {@link
 * dev.herald.concurrent.KeyedExecutor}.
 */
package dev.herald.presence;
