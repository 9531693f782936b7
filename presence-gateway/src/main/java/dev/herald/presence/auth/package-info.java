/**
 * Presence authorization (RFC 3856 §6.6.2): who may see a presentity's state. {@link
 * dev.herald.presence.auth.WatcherRules} decides for each new watcher (allow, confirm: pending
 * until decided, or block: polite blocking) from the configuration, the users file's lists and the
 * decisions made through {@link dev.herald.presence.auth.PresenceAuthorization}, the API a
 * presentity's client, an admin page or the XMPP roster uses to allow or deny a waiting watcher.
 */
package dev.herald.presence.auth;
