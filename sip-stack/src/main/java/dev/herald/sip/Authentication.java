package dev.herald.sip;

import dev.herald.sip.auth.DigestAuthenticator;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which requests the SIP layer authenticates, and how (RFC 3261 §22): requests of the listed
 * methods from a source that is not a trusted peer must carry valid digest credentials, or are
 * challenged with 401 and WWW-Authenticate. Herald is the user agent server for every request it
 * authenticates, so it challenges with 401 for every method, never 407 (RFC 3261 §22.1: 407 is for
 * proxies).
 *
 * @param authenticator checks credentials and makes challenges
 * @param trustedSource whether a source IP address is a trusted peer (a CUCM trunk), whose requests
 *     are not challenged
 * @param methods the methods that need credentials
 */
public record Authentication(
    DigestAuthenticator authenticator, Predicate<String> trustedSource, Set<String> methods) {

  public Authentication {
    Objects.requireNonNull(authenticator, "authenticator");
    Objects.requireNonNull(trustedSource, "trustedSource");
    methods = Set.copyOf(methods.stream().map(m -> m.toUpperCase(Locale.ROOT)).toList());
  }
}
