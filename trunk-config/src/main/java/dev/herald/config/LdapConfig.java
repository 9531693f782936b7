package dev.herald.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to reach and read an LDAP directory of users. The service account's password is never in the
 * YAML: exactly one of {@code bindPasswordFile} and {@code bindPasswordEnv} says where it is.
 *
 * @param url {@code ldap://host[:port]} or {@code ldaps://host[:port]}
 * @param bindDn the service account that searches the directory
 * @param bindPasswordFile a file holding the service account's password, resolved like the users
 *     file; null when {@code bindPasswordEnv} is given
 * @param bindPasswordEnv the environment variable holding the password; null when {@code
 *     bindPasswordFile} is given
 * @param baseDn where users are searched, with subtree scope
 * @param userFilter finds a user by id: {0} stands for the id, escaped (RFC 4515), and appears once
 *     as {@code (attribute={0})}; that attribute holds the id ({@link #idAttribute()})
 * @param sipAddressAttribute the multi-valued attribute with the user's SIP addresses
 * @param enabledAttribute {@code TRUE} enables the user; {@code FALSE}, anything else or no value
 *     disables them
 * @param displayNameAttribute the user's display name; the id when the entry has none
 * @param timeoutMillis the bound on connecting and on every operation, 100..60000
 * @param cacheSeconds how long a user looked up stays cached (found or not found), 0..3600; 0 turns
 *     the cache off. Passwords are never cached: each check is a bind.
 */
public record LdapConfig(
    String url,
    String bindDn,
    Path bindPasswordFile,
    String bindPasswordEnv,
    String baseDn,
    String userFilter,
    String sipAddressAttribute,
    String enabledAttribute,
    String displayNameAttribute,
    int timeoutMillis,
    int cacheSeconds) {

  static final int MIN_TIMEOUT_MILLIS = 100;
  static final int MAX_TIMEOUT_MILLIS = 60_000;
  static final int MAX_CACHE_SECONDS = 3_600;

  public LdapConfig {
    require(url, LdapSyntax.urlProblem(url), "url");
    require(bindDn, LdapSyntax.dnProblem(bindDn), "bindDn");
    require(baseDn, LdapSyntax.dnProblem(baseDn), "baseDn");
    require(userFilter, LdapSyntax.filterProblem(userFilter), "userFilter");
    require(
        sipAddressAttribute,
        LdapSyntax.attributeProblem(sipAddressAttribute),
        "sipAddressAttribute");
    require(enabledAttribute, LdapSyntax.attributeProblem(enabledAttribute), "enabledAttribute");
    require(
        displayNameAttribute,
        LdapSyntax.attributeProblem(displayNameAttribute),
        "displayNameAttribute");
    if (timeoutMillis < MIN_TIMEOUT_MILLIS || timeoutMillis > MAX_TIMEOUT_MILLIS) {
      throw new IllegalArgumentException(
          "timeoutMillis must be "
              + MIN_TIMEOUT_MILLIS
              + ".."
              + MAX_TIMEOUT_MILLIS
              + ", was "
              + timeoutMillis);
    }
    if (cacheSeconds < 0 || cacheSeconds > MAX_CACHE_SECONDS) {
      throw new IllegalArgumentException(
          "cacheSeconds must be 0.." + MAX_CACHE_SECONDS + ", was " + cacheSeconds);
    }
    if ((bindPasswordFile == null) == (bindPasswordEnv == null)) {
      throw new IllegalArgumentException(
          "exactly one of bindPasswordFile and bindPasswordEnv must be given");
    }
  }

  /** The server's host name or address, without the brackets of an IPv6 literal. */
  public String host() {
    String host = URI.create(url).getHost();
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  /** The server's port: as in the URL, else 636 for ldaps and 389 for ldap. */
  public int port() {
    int port = URI.create(url).getPort();
    return port > 0 ? port : tls() ? 636 : 389;
  }

  /** Whether the URL is ldaps: TLS from the first byte (not StartTLS). */
  public boolean tls() {
    return URI.create(url).getScheme().equals("ldaps");
  }

  /** The attribute that holds the user's id: the one {@link #userFilter()} compares with {0}. */
  public String idAttribute() {
    return LdapSyntax.idAttribute(userFilter);
  }

  private static void require(String value, String problem, String name) {
    Objects.requireNonNull(value, name);
    if (problem != null) {
      throw new IllegalArgumentException(name + " " + problem + ", was " + value);
    }
  }
}
