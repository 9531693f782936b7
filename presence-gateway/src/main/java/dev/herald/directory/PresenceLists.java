package dev.herald.directory;

import java.util.List;

/**
 * A user's presence allow and block lists, as the users file gives them ({@code presence-allow},
 * {@code presence-block}). Each entry is a watcher's address, normalised ({@code
 * sip:bob@herald.test}), or a whole domain ({@code *@partner.example}, lower-case).
 *
 * @param allow watchers who may always see the user's presence
 * @param block watchers who are politely blocked; they win over {@code allow}
 */
public record PresenceLists(List<String> allow, List<String> block) {

  /** No lists: what LDAP users, and addresses that belong to nobody, have. */
  public static final PresenceLists NONE = new PresenceLists(List.of(), List.of());

  public PresenceLists {
    allow = List.copyOf(allow);
    block = List.copyOf(block);
  }
}
