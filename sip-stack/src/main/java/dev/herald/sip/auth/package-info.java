/**
 * SIP digest authentication for a server (RFC 3261 §22, RFC 7616, RFC 8760): challenges with one
 * header value per algorithm, stateless nonces, replay protection by nonce count, and the check of
 * a request's Authorization or Proxy-Authorization credentials.
 *
 * <p>The caller owns the SIP side: it passes the request's credentials headers to {@link
 * dev.herald.sip.auth.DigestAuthenticator#verify} and answers according to the {@link
 * dev.herald.sip.auth.AuthResult}. User data comes in through a {@link
 * dev.herald.sip.auth.CredentialStore}, which holds HA1 values, never passwords.
 */
package dev.herald.sip.auth;
