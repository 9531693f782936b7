/**
 * The PIDF document layer (RFC 3863, with the RFC 4479 data model and RFC 4480 RPID carried
 * through): {@link dev.herald.presence.pidf.PidfParser} checks a PUBLISH body and splits it into an
 * immutable {@link dev.herald.presence.pidf.PidfDocument}; {@link
 * dev.herald.presence.pidf.PidfComposer} merges the publications of one presentity into the single
 * document that NOTIFYs carry. Parsing refuses DTDs and bounds size and depth, so a body from the
 * network cannot make the server read files, open connections or exhaust memory.
 */
package dev.herald.presence.pidf;
