package dev.herald.presence;

/**
 * One live publication (RFC 3903): what one device published for one presentity, under an entity
 * tag. Immutable: a refresh or modification makes a new one under a new tag.
 *
 * @param etag the entity tag the publisher must present in SIP-If-Match
 * @param resource the presentity and event package it belongs to
 * @param document the parsed body, as the event package made it
 * @param sequence when the body was last set; higher is newer (composition order)
 * @param expiresAtNanos when it expires, on the store's ticker
 */
public record Publication(
    String etag, Resource resource, Object document, long sequence, long expiresAtNanos) {

  Publication refreshed(String newEtag, long newExpiresAtNanos) {
    return new Publication(newEtag, resource, document, sequence, newExpiresAtNanos);
  }
}
