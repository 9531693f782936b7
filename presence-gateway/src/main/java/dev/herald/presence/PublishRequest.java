package dev.herald.presence;

/**
 * A PUBLISH as the engine sees it (RFC 3903 §6).
 *
 * @param resource the presentity and package
 * @param ifMatch the SIP-If-Match entity tag, or null for an initial publication
 * @param expires the Expires value asked for, or null when absent
 * @param document the parsed body, or null when the request had none (a refresh)
 */
public record PublishRequest(Resource resource, String ifMatch, Integer expires, Object document) {}
