package dev.herald.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/*
 * Design note: the users file is read with the same machinery as herald.yaml (Key, Mapping,
 * Values), so it reports every problem at once with its path, in the same words. The rules that
 * span users (ids unique, an address belongs to one user) are checked after the list is read,
 * among the users that are valid on their own.
 */

/** The keys of a users file and their rules. */
final class UsersSchema {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
  private static final Pattern HEX = Pattern.compile("[0-9a-f]*");

  private UsersSchema() {}

  /** Reads a whole document; null when {@code problems} gained any. */
  static UsersFile read(JsonNode document, Problems problems) {
    int before = problems.size();
    UsersFile users = Top.MAPPING.read(document, "", problems);
    return problems.size() == before ? users : null;
  }

  /** The top level of the file. */
  private static final class Top {
    static final Key<String> REALM = Key.required("realm", HeraldSchema.REALM);
    static final Key<List<UserEntry>> USERS = Key.required("users", UsersSchema::users);

    static final Mapping<UsersFile> MAPPING =
        Mapping.of(List.of(REALM, USERS), f -> new UsersFile(f.get(REALM), f.get(USERS)));
  }

  /** One item of {@code users}. */
  private static final class User {
    static final Key<String> ID =
        Key.required(
            "id",
            Values.text(
                "must be a user id",
                id ->
                    UsersSchema.ID.matcher(id).matches()
                        ? null
                        : "must be 1..64 letters, digits, '.', '_', '-' or '+',"
                            + " starting with a letter or digit"));
    static final Key<Optional<String>> DISPLAY_NAME =
        Key.optional(
            "display-name",
            Optional.empty(),
            Values.present(
                Values.text(
                    "must be a string",
                    name ->
                        name.isBlank() ? "must not be blank (leave it out for the id)" : null)));
    static final Key<List<String>> ADDRESSES =
        Key.required(
            "addresses",
            Values.nonEmptyList("address", UsersSchema::sipAddress, Values::duplicate));
    static final Key<Boolean> ENABLED = Key.optional("enabled", true, Values.bool());
    static final Key<Optional<String>> HA1_MD5 =
        Key.optional("ha1-md5", Optional.empty(), Values.present(ha1(32, "MD5")));
    static final Key<Optional<String>> HA1_SHA256 =
        Key.optional("ha1-sha256", Optional.empty(), Values.present(ha1(64, "SHA-256")));
    static final Key<List<String>> PRESENCE_ALLOW = watcherList("presence-allow");
    static final Key<List<String>> PRESENCE_BLOCK = watcherList("presence-block");

    static final Mapping<UserEntry> MAPPING =
        Mapping.of(
            List.of(
                ID,
                DISPLAY_NAME,
                ADDRESSES,
                ENABLED,
                HA1_MD5,
                HA1_SHA256,
                PRESENCE_ALLOW,
                PRESENCE_BLOCK),
            User::build,
            (f, path, problems) -> {
              checkHashes(f, path, problems);
              checkListsDisjoint(f, path, problems);
            });

    private static UserEntry build(Fields f) {
      if (f.get(HA1_MD5).isEmpty() && f.get(HA1_SHA256).isEmpty()) {
        return null; // checkHashes has said so
      }
      return new UserEntry(
          f.get(ID),
          f.get(ADDRESSES),
          f.get(DISPLAY_NAME).orElse(f.get(ID)),
          f.get(ENABLED),
          f.get(HA1_MD5).orElse(null),
          f.get(HA1_SHA256).orElse(null),
          f.get(PRESENCE_ALLOW),
          f.get(PRESENCE_BLOCK));
    }

    private static void checkHashes(Fields f, String path, Problems problems) {
      if (!f.given(HA1_MD5) && !f.given(HA1_SHA256)) {
        problems.add(path, "needs ha1-md5 or ha1-sha256, or both");
      }
    }

    /**
     * An entry on both lists would be blocked (block lists win), which is more likely a slip than a
     * wish; it is reported where the block list gives it.
     */
    private static void checkListsDisjoint(Fields f, String path, Problems problems) {
      if (!f.valid(PRESENCE_ALLOW, PRESENCE_BLOCK)) {
        return;
      }
      List<String> allowed = f.get(PRESENCE_ALLOW);
      List<String> blocked = f.get(PRESENCE_BLOCK);
      for (int i = 0; i < blocked.size(); i++) {
        int j = allowed.indexOf(blocked.get(i));
        if (j >= 0) {
          problems.add(
              YamlPath.index(YamlPath.key(path, PRESENCE_BLOCK.name()), i),
              blocked.get(i)
                  + " is also on "
                  + YamlPath.index(YamlPath.key(path, PRESENCE_ALLOW.name()), j)
                  + "; a watcher is on one list or the other");
        }
      }
    }

    private static Key<List<String>> watcherList(String name) {
      return Key.optional(
          name, List.of(), Values.list(UsersSchema::watcherEntry, Values::duplicate));
    }
  }

  /**
   * The list of users. Each is read on its own; then an id or an address that an earlier valid user
   * already has is reported where the later one gives it.
   */
  private static List<UserEntry> users(JsonNode value, String path, Problems problems) {
    if (!value.isArray()) {
      problems.add(path, "must be a list, was " + Values.describe(value));
      return null;
    }
    List<UserEntry> users = new ArrayList<>();
    Map<String, String> idOwners = new HashMap<>();
    Map<String, String> addressOwners = new HashMap<>();
    boolean allValid = true;
    for (int i = 0; i < value.size(); i++) {
      String userPath = YamlPath.index(path, i);
      UserEntry user = User.MAPPING.read(value.get(i), userPath, problems);
      if (user == null) {
        allValid = false;
        continue;
      }
      String owner = userPath + " (" + user.id() + ")";
      String earlier = idOwners.putIfAbsent(user.id(), owner);
      if (earlier != null) {
        problems.add(YamlPath.key(userPath, "id"), "duplicates the id of " + earlier);
        allValid = false;
      }
      for (int a = 0; a < user.addresses().size(); a++) {
        String address = user.addresses().get(a);
        String claimed = addressOwners.putIfAbsent(address, owner);
        if (claimed != null) {
          problems.add(
              YamlPath.index(YamlPath.key(userPath, "addresses"), a),
              address + " already belongs to " + claimed);
          allValid = false;
        }
      }
      users.add(user);
    }
    return allValid ? List.copyOf(users) : null;
  }

  /** A {@code sip:user@host} address, normalised as {@link SipAddresses} does. */
  private static String sipAddress(JsonNode value, String path, Problems problems) {
    Optional<String> address =
        value.isTextual() ? SipAddresses.normalize(value.textValue()) : Optional.empty();
    if (address.isEmpty()) {
      problems.add(
          path,
          "must be a sip:user@host address such as sip:alice@herald.test (no port, no parameters),"
              + " was "
              + Values.describe(value));
      return null;
    }
    return address.get();
  }

  /**
   * An entry of a presence allow or block list: a watcher's {@code sip:user@host} address,
   * normalised as {@link SipAddresses} does, or {@code *@domain} for every watcher of a domain (a
   * DNS host name, lower-cased).
   */
  private static String watcherEntry(JsonNode value, String path, Problems problems) {
    if (value.isTextual()) {
      String text = value.textValue();
      if (text.startsWith(UserEntry.WHOLE_DOMAIN)) {
        String domain = text.substring(UserEntry.WHOLE_DOMAIN.length());
        if (HostNames.isValid(domain)) {
          return UserEntry.WHOLE_DOMAIN + domain.toLowerCase(Locale.ROOT);
        }
      } else {
        Optional<String> address = SipAddresses.normalize(text);
        if (address.isPresent() && address.get().startsWith("sip:*@")) {
          // '*' is a legal user part, so this would name one odd user rather than the domain.
          problems.add(
              path,
              "is the address of a user named *, not a whole domain; write "
                  + UserEntry.WHOLE_DOMAIN
                  + address.get().substring("sip:*@".length())
                  + " for every watcher of the domain");
          return null;
        }
        if (address.isPresent()) {
          return address.get();
        }
      }
    }
    problems.add(
        path,
        "must be a watcher's address such as sip:bob@herald.test (no port, no parameters) or a"
            + " whole domain such as *@partner.example, was "
            + Values.describe(value));
    return null;
  }

  /**
   * An HA1 hash. A wrong one is described by its length, not quoted: even a mistyped hash may be
   * close to a real credential, and problems end up in logs.
   */
  private static ValueReader<String> ha1(int digits, String algorithm) {
    String expected =
        "must be "
            + digits
            + " lower-case hex digits, the "
            + algorithm
            + " hash of id:realm:password";
    return (value, path, problems) -> {
      if (!value.isTextual()) {
        problems.add(path, expected + ", was " + Values.describe(value));
        return null;
      }
      String hex = value.textValue();
      if (hex.length() != digits) {
        problems.add(path, expected + ", was " + hex.length() + " characters long");
        return null;
      }
      if (!HEX.matcher(hex).matches()) {
        problems.add(
            path,
            expected
                + ", has "
                + (HEX.matcher(hex.toLowerCase(Locale.ROOT)).matches()
                    ? "upper-case digits"
                    : "characters that are not hex digits"));
        return null;
      }
      return hex;
    };
  }
}
