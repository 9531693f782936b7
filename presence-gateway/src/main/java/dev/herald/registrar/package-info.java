/**
 * The registrar (RFC 3261 §10.3) and the location service other parts use to find a user's devices.
 * Bindings are soft state with per-binding expiry, changed only on the lane of their
 * address-of-record, the same lane as that user's presence.
 */
package dev.herald.registrar;
