package dev.herald.directory;

import dev.herald.config.SipAddresses;
import dev.herald.sip.Identity;
import dev.herald.sip.Rejection;
import java.util.List;
import java.util.Optional;

/**
 * Who may register, publish and subscribe, once the SIP layer has established who is asking ({@link
 * Identity}): a user may register, publish and send messages as only their own addresses (else
 * 403); a user not enabled for IM and presence may do neither, nor subscribe (403); and a
 * presentity that is unknown or not enabled does not exist for presence (404), as in the original
 * product, where IM and presence is assigned per user. Trusted peers (CUCM trunks) act for any user
 * Herald knows.
 *
 * <p>Called on SIP threads. With an LDAP directory each check is a directory round trip; caching
 * lookups is left for later (see the issue notes).
 */
public final class AccessPolicy {
  private final Directory directory;
  private final boolean open;
  private final RemotePresentities remote;

  private AccessPolicy(Directory directory, boolean open, RemotePresentities remote) {
    this.directory = directory;
    this.open = open;
    this.remote = remote;
  }

  /** Checks every request against the users of {@code directory}. */
  public static AccessPolicy of(Directory directory) {
    return new AccessPolicy(directory, false, RemotePresentities.NONE);
  }

  /**
   * This policy, where a SUBSCRIBE to an address the directory does not know is allowed when {@code
   * remote} serves it (a user across the XMPP gateway), or gets the answer {@code remote} gives
   * while it cannot (503). Without a directory ({@link #open()}) every address is a local user and
   * nothing is remote.
   */
  public AccessPolicy withRemotePresentities(RemotePresentities remote) {
    return new AccessPolicy(directory, open, java.util.Objects.requireNonNull(remote, "remote"));
  }

  /**
   * No user directory ({@code directory.source: none}, a lab or load-test setup): every address in
   * a served domain is a presence user, and whoever got past authentication (only trusted peers
   * can: nobody has credentials) may act for anyone.
   */
  public static AccessPolicy open() {
    return new AccessPolicy(null, true, RemotePresentities.NONE);
  }

  /** REGISTER for {@code aor}: null when allowed, else the answer (RFC 3261 §10.3 steps 3, 6). */
  public Rejection mayRegister(Identity who, String aor) {
    return guarded(() -> mayActFor(who, aor, "register for"));
  }

  /** PUBLISH for {@code presentity} (RFC 3903 §6 step 1). */
  public Rejection mayPublish(Identity who, String presentity) {
    return guarded(() -> mayActFor(who, presentity, "publish for"));
  }

  /**
   * A MESSAGE (RFC 3428 §7) whose From is {@code fromAddress}: an authenticated user may send only
   * as one of their own addresses (403 otherwise, so that nobody's messages can be forged under a
   * name they got credentials for); a trusted peer (a CUCM trunk) sends for anyone.
   *
   * @param fromAddress the request's From URI, as {@code sip:user@host}
   */
  public Rejection maySendAs(Identity who, String fromAddress) {
    return guarded(() -> sendAsCheck(who, fromAddress));
  }

  /**
   * SUBSCRIBE to {@code presentity} (RFC 3856 §6.6). Which watchers see its state is decided later,
   * by the presence authorization rules: this only checks that both ends are presence users.
   */
  public Rejection maySubscribe(Identity who, String presentity) {
    return guarded(() -> subscribeCheck(who, presentity));
  }

  /**
   * SUBSCRIBE to the watcher information of {@code presentity} (RFC 3857): only the user whose
   * address it is, or a trusted peer acting for them (403 otherwise).
   */
  public Rejection mayWatchWatchers(Identity who, String presentity) {
    return guarded(() -> mayActFor(who, presentity, "watch the watchers of"));
  }

  /**
   * The address a watcher is authorized as (RFC 3856 §6.6.2): for an authenticated user, {@code
   * fromAddress} if it is one of theirs, else their first address; for anyone else (a trusted
   * peer), {@code fromAddress}.
   *
   * @param fromAddress the request's From URI, as {@code sip:user@host}
   */
  public String watcher(Identity who, String fromAddress) {
    if (open || who.kind() != Identity.Kind.USER) {
      return fromAddress;
    }
    try {
      Optional<User> user = directory.byId(who.username());
      if (user.isEmpty() || user.get().addresses().isEmpty()) {
        return fromAddress;
      }
      List<String> own = user.get().addresses();
      return SipAddresses.normalize(fromAddress).filter(own::contains).orElse(own.get(0));
    } catch (DirectoryUnavailableException e) {
      // maySubscribe has just asked the same directory; the From address is all there is.
      return fromAddress;
    }
  }

  /** A directory that cannot answer (LDAP down) means 503, never a wrong 403 or 404. */
  private Rejection guarded(java.util.function.Supplier<Rejection> check) {
    if (open) {
      return null;
    }
    try {
      return check.get();
    } catch (DirectoryUnavailableException e) {
      return Rejection.of(
          503, "Service Unavailable (user directory unreachable)", "Retry-After", "30");
    }
  }

  private Rejection subscribeCheck(Identity who, String presentity) {
    if (who.kind() == Identity.Kind.USER) {
      Optional<User> watcher = directory.byId(who.username());
      if (watcher.isEmpty() || !watcher.get().enabled()) {
        return notEnabled(who.username());
      }
    }
    if (exists(presentity)) {
      return null;
    }
    if (directory.byAddress(presentity).isEmpty() && remote.serves(presentity)) {
      return remote.unavailable(presentity);
    }
    return notFound(presentity);
  }

  private Rejection sendAsCheck(Identity who, String fromAddress) {
    if (who.kind() != Identity.Kind.USER) {
      return null;
    }
    Optional<User> user = directory.byId(who.username());
    if (user.isEmpty() || !user.get().enabled()) {
      return notEnabled(who.username());
    }
    Optional<User> owner = directory.byAddress(fromAddress);
    if (owner.isEmpty() || !owner.get().id().equals(user.get().id())) {
      return Rejection.of(
          403,
          "Forbidden (the From "
              + fromAddress
              + " is not an address of the authenticated user "
              + who.username()
              + ")");
    }
    return null;
  }

  private Rejection mayActFor(Identity who, String address, String what) {
    Optional<User> owner = directory.byAddress(address);
    if (owner.isEmpty() || !owner.get().enabled()) {
      return notFound(address);
    }
    if (who.kind() != Identity.Kind.USER) {
      return null;
    }
    Optional<User> user = directory.byId(who.username());
    if (user.isEmpty() || !user.get().enabled()) {
      return notEnabled(who.username());
    }
    if (!user.get().id().equals(owner.get().id())) {
      return Rejection.of(
          403, "Forbidden (" + who.username() + " may not " + what + " " + address + ")");
    }
    return null;
  }

  private boolean exists(String address) {
    Optional<User> u = directory.byAddress(address);
    return u.isPresent() && u.get().enabled();
  }

  private static Rejection notEnabled(String username) {
    return Rejection.of(403, "Forbidden (" + username + " is not enabled for IM and presence)");
  }

  private static Rejection notFound(String address) {
    return Rejection.of(404, "Not Found (no presence user " + address + ")");
  }
}
