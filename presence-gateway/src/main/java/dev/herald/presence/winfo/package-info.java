/**
 * Watcher information documents (RFC 3858, {@code application/watcherinfo+xml}): who watches a
 * resource and the state of each subscription, for the {@code presence.winfo} event package (RFC
 * 3857).
 */
package dev.herald.presence.winfo;
