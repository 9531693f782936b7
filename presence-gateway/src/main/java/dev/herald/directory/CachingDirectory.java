package dev.herald.directory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Optional;

/*
 * Design note: LDAP lookups run on SIP threads (every REGISTER, PUBLISH and SUBSCRIBE asks the
 * directory who the user is) and each may block up to the LDAP timeout. Caching the answers, found
 * or not found, for a short time turns a burst of requests from one user into one search. A failed
 * lookup (DirectoryUnavailableException) is not cached: the next request asks again. Passwords are
 * never cached; each check is a bind.
 */

/** A directory whose user lookups are remembered for a while; everything else is passed through. */
final class CachingDirectory implements Directory {
  /** Bounds the cache: a lookup per user and address of a large enterprise, and no more. */
  static final long MAX_ENTRIES = 200_000;

  private final Directory delegate;
  private final Cache<String, Optional<User>> byAddress;
  private final Cache<String, Optional<User>> byId;

  CachingDirectory(Directory delegate, Duration ttl, Ticker ticker) {
    this.delegate = delegate;
    this.byAddress = cache(ttl, ticker);
    this.byId = cache(ttl, ticker);
  }

  private static Cache<String, Optional<User>> cache(Duration ttl, Ticker ticker) {
    return Caffeine.newBuilder()
        .expireAfterWrite(ttl)
        .maximumSize(MAX_ENTRIES)
        .ticker(ticker)
        .build();
  }

  @Override
  public Optional<User> byAddress(String sipAddress) {
    return byAddress.get(sipAddress, delegate::byAddress);
  }

  @Override
  public Optional<User> byId(String id) {
    return byId.get(id, delegate::byId);
  }

  @Override
  public PresenceLists presenceLists(String sipAddress) {
    return delegate.presenceLists(sipAddress);
  }

  @Override
  public Optional<String> ha1(String id, String realm, String algorithmToken) {
    return delegate.ha1(id, realm, algorithmToken);
  }

  @Override
  public boolean verifyPassword(String id, String password) {
    return delegate.verifyPassword(id, password);
  }

  @Override
  public void close() {
    byAddress.invalidateAll();
    byId.invalidateAll();
    delegate.close();
  }
}
