package dev.herald.directory;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import dev.herald.config.LdapConfig;
import dev.herald.config.SipAddresses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design note:
 * - Lookups go through a pool of connections bound as the service account. A user's password is
 *   checked by a bind on a connection of its own, so the pooled connections never change identity.
 * - Every operation is bounded: connect, bind and search time out after timeout-ms (connection
 *   options and each request), the pool waits no longer than that for a free connection, and a
 *   search also asks the server for a time limit. An operation that fails because its connection
 *   died is retried once on a new connection, which is bounded the same way.
 * - The id goes into the user filter escaped (RFC 4515 §3, Filter.encodeValue): an id such as
 *   "*)(uid=*" must match nothing rather than everyone.
 * - A search that finds two entries for one id or one address finds nobody: guessing between them
 *   could let one user act as another.
 * - The directory service account's DN and password are all the configuration holds; LDAP has no
 *   digest HA1, so ha1() is always empty (see package-info).
 */

/** Users in an LDAP directory, read with the UnboundID LDAP SDK. */
final class LdapDirectory implements Directory {

  private static final Logger log = LoggerFactory.getLogger(LdapDirectory.class);

  /** Lookups are short; a few connections serve many concurrent ones. */
  private static final int MAX_CONNECTIONS = 4;

  private final LdapConfig config;
  private final ServerSet server;
  private final LDAPConnectionPool pool;

  /** The user filter with any id: what makes an entry a user at all. */
  private final Filter anyUser;

  private final String[] attributes;
  private volatile boolean closed;

  private LdapDirectory(
      LdapConfig config, ServerSet server, LDAPConnectionPool pool, Filter anyUser) {
    this.config = config;
    this.server = server;
    this.pool = pool;
    this.anyUser = anyUser;
    this.attributes =
        new String[] {
          config.idAttribute(),
          config.sipAddressAttribute(),
          config.enabledAttribute(),
          config.displayNameAttribute()
        };
  }

  /**
   * Connects, binds as the service account and checks that the base DN exists, each within the
   * configured timeout.
   */
  static LdapDirectory open(LdapConfig config) throws DirectoryException {
    Filter anyUser;
    try {
      anyUser = Filter.create(config.userFilter().replace("{0}", "*"));
      Filter.create(config.userFilter().replace("{0}", "x"));
    } catch (LDAPException e) {
      throw new DirectoryException(
          "directory.ldap.user-filter is not an LDAP filter: " + describe(e), e);
    }
    String password = password(config);
    ServerSet server = serverSet(config);
    SimpleBindRequest serviceBind = new SimpleBindRequest(config.bindDn(), password);
    serviceBind.setResponseTimeoutMillis(config.timeoutMillis());
    LDAPConnectionPool pool;
    try {
      pool = new LDAPConnectionPool(server, serviceBind, 1, MAX_CONNECTIONS);
    } catch (LDAPException e) {
      throw new DirectoryException(
          "cannot connect to "
              + config.url()
              + " and bind as "
              + config.bindDn()
              + ": "
              + describe(e),
          e);
    }
    pool.setConnectionPoolName("herald-directory");
    pool.setMaxWaitTimeMillis(config.timeoutMillis());
    pool.setRetryFailedOperationsDueToInvalidConnections(true);
    try {
      if (pool.getEntry(config.baseDn(), "1.1") == null) {
        pool.close();
        throw new DirectoryException(
            "directory.ldap.base-dn " + config.baseDn() + " does not exist on " + config.url());
      }
    } catch (LDAPException e) {
      pool.close();
      throw new DirectoryException(
          "cannot read directory.ldap.base-dn "
              + config.baseDn()
              + " on "
              + config.url()
              + ": "
              + describe(e),
          e);
    }
    log.info("LDAP directory {} open, users under {}", config.url(), config.baseDn());
    return new LdapDirectory(config, server, pool, anyUser);
  }

  @Override
  public Optional<User> byAddress(String sipAddress) {
    ensureOpen();
    Optional<String> address = SipAddresses.normalize(sipAddress);
    if (address.isEmpty()) {
      return Optional.empty();
    }
    Filter filter =
        Filter.createANDFilter(
            Filter.createEqualityFilter(config.sipAddressAttribute(), address.get()), anyUser);
    // The server's matching rule may ignore case; a SIP user part does not (RFC 3261 §19.1.4).
    return findOne(filter, "address " + address.get())
        .flatMap(this::user)
        .filter(user -> user.addresses().contains(address.get()));
  }

  @Override
  public Optional<User> byId(String id) {
    ensureOpen();
    return entry(id).flatMap(this::user);
  }

  /** Always none, without asking the server: LDAP entries carry no presence lists. */
  @Override
  public PresenceLists presenceLists(String sipAddress) {
    ensureOpen();
    return PresenceLists.NONE;
  }

  /** Always empty: an LDAP directory holds no digest hashes. */
  @Override
  public Optional<String> ha1(String id, String realm, String algorithmToken) {
    ensureOpen();
    return Optional.empty();
  }

  @Override
  public boolean verifyPassword(String id, String password) {
    ensureOpen();
    // An empty password makes a simple bind anonymous (RFC 4513 §5.1.2), which succeeds.
    if (password == null || password.isEmpty()) {
      return false;
    }
    Optional<SearchResultEntry> entry = entry(id);
    if (entry.isEmpty() || !user(entry.get()).map(User::enabled).orElse(false)) {
      return false;
    }
    SimpleBindRequest bind = new SimpleBindRequest(entry.get().getDN(), password);
    bind.setResponseTimeoutMillis(config.timeoutMillis());
    try (LDAPConnection connection = server.getConnection()) {
      connection.bind(bind);
      return true;
    } catch (LDAPException e) {
      if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
        return false;
      }
      if (unavailable(e.getResultCode())) {
        throw unavailable("checking the password of " + printable(id), e);
      }
      // Locked, expired or otherwise refused by the server: not a valid password now.
      log.info("LDAP refused the bind of {}: {}", printable(entry.get().getDN()), describe(e));
      return false;
    }
  }

  @Override
  public void close() {
    closed = true;
    pool.close();
  }

  /** The entry of the user with this id, found with the user filter. */
  private Optional<SearchResultEntry> entry(String id) {
    Objects.requireNonNull(id, "id");
    if (id.isEmpty()) {
      return Optional.empty();
    }
    Filter filter;
    try {
      filter = Filter.create(config.userFilter().replace("{0}", Filter.encodeValue(id)));
    } catch (LDAPException e) {
      // open() parsed the filter; an escaped value cannot break it.
      throw new IllegalStateException("user filter with an escaped id does not parse", e);
    }
    return findOne(filter, "id " + printable(id));
  }

  /** The one entry {@code filter} matches under the base DN; empty for none, or for several. */
  private Optional<SearchResultEntry> findOne(Filter filter, String what) {
    SearchRequest request = new SearchRequest(config.baseDn(), SearchScope.SUB, filter, attributes);
    request.setSizeLimit(2);
    request.setTimeLimitSeconds(Math.max(1, (config.timeoutMillis() + 999) / 1000));
    request.setResponseTimeoutMillis(config.timeoutMillis());
    List<SearchResultEntry> entries;
    try {
      entries = pool.search(request).getSearchEntries();
    } catch (LDAPSearchException e) {
      if (e.getResultCode() != ResultCode.SIZE_LIMIT_EXCEEDED) {
        throw unavailable("looking up " + what, e);
      }
      entries = e.getSearchEntries();
    }
    if (entries.size() > 1) {
      log.warn("LDAP: more than one entry under {} for {}; none is used", config.baseDn(), what);
      return Optional.empty();
    }
    return entries.stream().findFirst();
  }

  /** The user an entry describes; empty, with a log line, if it lacks the id attribute. */
  private Optional<User> user(SearchResultEntry entry) {
    String id = entry.getAttributeValue(config.idAttribute());
    if (id == null) {
      log.warn(
          "LDAP entry {} has no {}; it is not used",
          printable(entry.getDN()),
          config.idAttribute());
      return Optional.empty();
    }
    List<String> addresses = new ArrayList<>();
    String[] values = entry.getAttributeValues(config.sipAddressAttribute());
    for (String value : values == null ? new String[0] : values) {
      Optional<String> address = SipAddresses.normalize(value);
      if (address.isPresent()) {
        addresses.add(address.get());
      } else {
        log.warn(
            "LDAP entry {}: {} {} is not a sip:user@host address; it is ignored",
            printable(entry.getDN()),
            config.sipAddressAttribute(),
            printable(value));
      }
    }
    String displayName = entry.getAttributeValue(config.displayNameAttribute());
    return Optional.of(
        new User(id, addresses, displayName == null ? id : displayName, enabled(entry)));
  }

  /** LDAP booleans are TRUE or FALSE (RFC 4517 §3.3.3); no value, or any other, disables. */
  private boolean enabled(SearchResultEntry entry) {
    String value = entry.getAttributeValue(config.enabledAttribute());
    if (value != null && !value.equals("TRUE") && !value.equals("FALSE")) {
      log.warn(
          "LDAP entry {}: {} is {}, not TRUE or FALSE; the user is disabled",
          printable(entry.getDN()),
          config.enabledAttribute(),
          printable(value));
    }
    return "TRUE".equals(value);
  }

  private static boolean unavailable(ResultCode code) {
    return code.isClientSideResultCode()
        || code == ResultCode.BUSY
        || code == ResultCode.UNAVAILABLE
        || code == ResultCode.TIME_LIMIT_EXCEEDED;
  }

  private DirectoryUnavailableException unavailable(String what, LDAPException e) {
    log.warn("LDAP directory {} could not answer {}: {}", config.url(), what, describe(e));
    return new DirectoryUnavailableException(
        "LDAP directory " + config.url() + " could not answer " + what + ": " + e.getResultCode(),
        e);
  }

  /** {@code 85 (timeout): A client-side timeout was encountered ...}: the code, then the words. */
  private static String describe(LDAPException e) {
    return e.getResultCode() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the directory is closed");
    }
  }

  private static ServerSet serverSet(LdapConfig config) throws DirectoryException {
    LDAPConnectionOptions options = new LDAPConnectionOptions();
    options.setConnectTimeoutMillis(config.timeoutMillis());
    options.setResponseTimeoutMillis(config.timeoutMillis());
    options.setAbandonOnTimeout(true);
    options.setBindWithDNRequiresPassword(true);
    SocketFactory sockets = SocketFactory.getDefault();
    if (config.tls()) {
      try {
        sockets = SSLContext.getDefault().getSocketFactory();
      } catch (NoSuchAlgorithmException e) {
        throw new DirectoryException("no TLS available for " + config.url(), e);
      }
      options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
    }
    return new SingleServerSet(config.host(), config.port(), sockets, options);
  }

  /** The service account's password, from its file or its environment variable. */
  private static String password(LdapConfig config) throws DirectoryException {
    String password;
    String source;
    if (config.bindPasswordFile() != null) {
      source = "directory.ldap.bind-password-file " + config.bindPasswordFile();
      try {
        password = Files.readString(config.bindPasswordFile(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        String reason =
            e instanceof NoSuchFileException
                ? "no such file"
                : e instanceof AccessDeniedException ? "permission denied" : e.toString();
        throw new DirectoryException("cannot read " + source + ": " + reason, e);
      }
      // Editors end files with a line break; it is not part of the password.
      password = password.replaceFirst("\r?\n\\z", "");
    } else {
      source = "directory.ldap.bind-password-env " + config.bindPasswordEnv();
      password = System.getenv(config.bindPasswordEnv());
      if (password == null) {
        throw new DirectoryException(source + ": the variable is not set");
      }
    }
    if (password.isEmpty()) {
      throw new DirectoryException(
          source + ": the password is empty, which would make the bind anonymous");
    }
    return password;
  }

  /** {@code text} safe for one log line: control characters, such as CR and LF, escaped. */
  private static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
