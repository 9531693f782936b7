package dev.herald.presence.dialog;

import java.util.Objects;

/**
 * One {@code dialog} element (RFC 4235 §4.1.2): what Herald keeps of it and passes on. Optional
 * parts are null when absent.
 *
 * @param id the dialog's id, unique within the publisher's document (required)
 * @param callId the dialog's Call-ID
 * @param localTag its local tag
 * @param remoteTag its remote tag
 * @param direction {@code initiator} or {@code recipient}
 * @param state its state (required)
 * @param event the {@code event} attribute of {@code state} (why it is terminated, e.g. {@code
 *     rejected})
 * @param code the {@code code} attribute of {@code state} (a SIP status)
 * @param local the local participant
 * @param remote the remote participant (a BLF phone shows who is calling)
 */
public record Dialog(
    String id,
    String callId,
    String localTag,
    String remoteTag,
    String direction,
    DialogState state,
    String event,
    String code,
    Participant local,
    Participant remote) {

  public Dialog {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
  }

  /** A dialog with nothing but an id and a state. */
  public static Dialog of(String id, DialogState state) {
    return new Dialog(id, null, null, null, null, state, null, null, null, null);
  }

  /** The same dialog in another state (its {@code event} and {@code code} dropped). */
  public Dialog withState(DialogState next) {
    return new Dialog(id, callId, localTag, remoteTag, direction, next, null, null, local, remote);
  }

  /**
   * A {@code local} or {@code remote} element: the {@code identity} (with its {@code display}) and
   * the {@code target} URI. Any part may be null.
   */
  public record Participant(String identity, String display, String target) {}
}
