/**
 * The dialog event package's documents (RFC 4235, {@code application/dialog-info+xml}): the model,
 * a hardened parser for published bodies and the writer of the documents watchers receive. Knows no
 * SIP and no engine.
 */
package dev.herald.presence.dialog;
