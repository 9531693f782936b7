package dev.herald.directory;

import dev.herald.config.ConfigException;
import dev.herald.config.SipAddresses;
import dev.herald.config.UserEntry;
import dev.herald.config.UsersFile;
import dev.herald.config.UsersFileLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The users of a users file, held in immutable maps built once. Its only state after construction
 * is whether it was closed.
 */
final class FileDirectory implements Directory {

  private final String realm;
  private final Map<String, UserEntry> entriesById;
  private final Map<String, User> usersById;
  private final Map<String, User> usersByAddress;
  private final Map<String, PresenceLists> listsByAddress;
  private volatile boolean closed;

  FileDirectory(UsersFile users) {
    this.realm = users.realm();
    Map<String, UserEntry> entries = new HashMap<>();
    Map<String, User> byId = new HashMap<>();
    Map<String, User> byAddress = new HashMap<>();
    Map<String, PresenceLists> lists = new HashMap<>();
    for (UserEntry entry : users.users()) {
      User user = new User(entry.id(), entry.addresses(), entry.displayName(), entry.enabled());
      PresenceLists userLists = new PresenceLists(entry.presenceAllow(), entry.presenceBlock());
      entries.put(entry.id(), entry);
      byId.put(entry.id(), user);
      for (String address : entry.addresses()) {
        byAddress.put(address, user);
        if (!userLists.equals(PresenceLists.NONE)) {
          lists.put(address, userLists);
        }
      }
    }
    this.entriesById = Map.copyOf(entries);
    this.usersById = Map.copyOf(byId);
    this.usersByAddress = Map.copyOf(byAddress);
    this.listsByAddress = Map.copyOf(lists);
  }

  /** The users of {@code file}, validated as {@link UsersFileLoader} does. */
  static FileDirectory load(Path file) throws DirectoryException {
    try {
      return new FileDirectory(UsersFileLoader.load(file));
    } catch (ConfigException e) {
      throw new DirectoryException("the users file is not usable:\n" + e.getMessage(), e);
    }
  }

  /** A directory without users, for a configuration without a directory. */
  static FileDirectory empty() {
    return new FileDirectory(new UsersFile("", List.of()));
  }

  @Override
  public Optional<User> byAddress(String sipAddress) {
    ensureOpen();
    return SipAddresses.normalize(sipAddress).map(usersByAddress::get);
  }

  @Override
  public PresenceLists presenceLists(String sipAddress) {
    ensureOpen();
    // Asked for every new subscription, with an address the caller has normalised already: no one
    // listed, or that address listed as it is, answers without normalising it again.
    if (listsByAddress.isEmpty()) {
      return PresenceLists.NONE;
    }
    PresenceLists exact = listsByAddress.get(sipAddress);
    if (exact != null) {
      return exact;
    }
    return SipAddresses.normalize(sipAddress).map(listsByAddress::get).orElse(PresenceLists.NONE);
  }

  @Override
  public Optional<User> byId(String id) {
    ensureOpen();
    return Optional.ofNullable(usersById.get(id));
  }

  @Override
  public Optional<String> ha1(String id, String realm, String algorithmToken) {
    ensureOpen();
    UserEntry entry = entriesById.get(id);
    if (entry == null || !entry.enabled() || !this.realm.equals(realm)) {
      return Optional.empty();
    }
    // RFC 7616 §3.3 compares algorithm tokens case-insensitively.
    return switch (algorithmToken.toUpperCase(Locale.ROOT)) {
      case "MD5" -> Optional.ofNullable(entry.ha1Md5());
      case "SHA-256" -> Optional.ofNullable(entry.ha1Sha256());
      default -> Optional.empty();
    };
  }

  @Override
  public boolean verifyPassword(String id, String password) {
    ensureOpen();
    UserEntry entry = entriesById.get(id);
    if (entry == null || !entry.enabled() || password == null || password.isEmpty()) {
      return false;
    }
    String algorithm = entry.ha1Sha256() != null ? "SHA-256" : "MD5";
    String stored = entry.ha1Sha256() != null ? entry.ha1Sha256() : entry.ha1Md5();
    String computed = UsersFile.ha1(algorithm, id, realm, password);
    // Constant time, so the comparison does not tell how much of a guess was right.
    return MessageDigest.isEqual(
        stored.getBytes(StandardCharsets.US_ASCII), computed.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public void close() {
    closed = true;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the directory is closed");
    }
  }
}
