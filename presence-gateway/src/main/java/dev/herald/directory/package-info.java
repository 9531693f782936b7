/**
 * Herald's users: who exists, their addresses of record, whether they are enabled, and how to check
 * their credentials.
 *
 * <p>{@link dev.herald.directory.Directory#open} builds the directory the configuration names
 * ({@code directory.source}):
 *
 * <ul>
 *   <li>{@code file}: the users file, read once at start-up into immutable maps. It stores digest
 *       HA1 hashes, so both SIP digest authentication ({@link dev.herald.directory.Directory#ha1})
 *       and password checks work.
 *   <li>{@code ldap}: searched on every lookup through a small pool of connections bound as the
 *       service account. <b>LDAP holds no digest hashes</b>: {@code ha1} is always empty, so a SIP
 *       digest challenge cannot be answered by an LDAP user. LDAP users can be checked only where a
 *       password arrives in clear ({@link dev.herald.directory.Directory#verifyPassword}, a bind as
 *       the user); their SIP requests must come through a trusted peer ({@code
 *       security.trusted-peers}) or stay unauthenticated until Herald has another credential store.
 *   <li>{@code none}: no users.
 * </ul>
 *
 * <p>Every LDAP operation is bounded by {@code directory.ldap.timeout-ms}; when the server is down
 * or does not answer in time, lookups throw {@link
 * dev.herald.directory.DirectoryUnavailableException} after a log line, rather than pretending the
 * user does not exist. They still block for up to that long, so they must not run on a SIP listener
 * thread (see docs/concurrency.md).
 */
package dev.herald.directory;
