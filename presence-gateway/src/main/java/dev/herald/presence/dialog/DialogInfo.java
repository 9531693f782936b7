package dev.herald.presence.dialog;

import java.util.List;
import java.util.Objects;

/**
 * A parsed {@code dialog-info} document (RFC 4235 §4.1).
 *
 * @param entity the {@code entity} attribute, the address whose dialogs it lists
 * @param full whether {@code state} is {@code full} (else {@code partial})
 * @param dialogs its dialogs in document order, ids unique
 */
public record DialogInfo(String entity, boolean full, List<Dialog> dialogs) {
  public DialogInfo {
    Objects.requireNonNull(entity, "entity");
    dialogs = List.copyOf(dialogs);
  }
}
