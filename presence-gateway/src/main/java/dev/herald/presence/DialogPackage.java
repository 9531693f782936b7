package dev.herald.presence;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.herald.presence.dialog.Dialog;
import dev.herald.presence.dialog.DialogInfo;
import dev.herald.presence.dialog.DialogInfoComposer;
import dev.herald.presence.dialog.DialogInfoException;
import dev.herald.presence.dialog.DialogInfoParser;
import dev.herald.presence.dialog.DialogState;
import dev.herald.presence.pidf.PhoneState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/*
 * Design note. Two small memories, both Caffeine caches bounded in size and expiring, both
 * touched only from the presentity's lane (compose and published run there), so per presentity
 * there is no race; the caches themselves are thread-safe across presentities.
 *
 * - terminated: (presentity, dialog id) pairs seen terminated. RFC 4235 §3.7.1 makes terminated
 *   final; a publisher whose PUBLISHes cross (or a stale one) may still show the dialog early or
 *   confirmed. Such a dialog is composed as terminated, so watchers never see it come back. Kept
 *   as long as a publication can live (publish max-expires), so a stale publication cannot outlive
 *   the memory that overrides it.
 * - derived: per presentity, the one dialog derived from its telephony phone state (CUCM's
 *   presence), when nothing of the dialog package is published for it. A new dialog id per call:
 *   ringing or on the phone after no call (or a terminated one) starts one.
 */

/**
 * The {@code dialog} event package (RFC 4235) for busy lamp fields, with {@code
 * application/dialog-info+xml} bodies.
 *
 * <p>Composition: the dialogs of every live publication of the presentity, merged by dialog id (a
 * newer publication's dialog replaces an older one's, except that {@code terminated} is final: once
 * a dialog id has been seen terminated it stays terminated). Watchers always receive full state
 * ({@code state="full"}) with the presentity as {@code entity}; {@code version} counts each
 * subscription's NOTIFYs from 0. Only the parts of a dialog a BLF needs are passed on: ids, tags,
 * direction, state (with event and code), and the local and remote identity and target.
 *
 * <p>Derived state: for a presentity with nothing published to this package, the telephony presence
 * a trunk (CUCM) published or notified for it becomes one dialog: ringing ({@code ce:alerting})
 * early, on the phone confirmed, anything else (available, do not disturb, no state) ends that
 * dialog (terminated). So a phone's BLF lamp works from CUCM's presence alone.
 */
public final class DialogPackage implements StatePackage {
  public static final String NAME = "dialog";
  public static final String DIALOG_INFO = "application/dialog-info+xml";

  /** Nesting deeper than this is no dialog-info document but an attack on the parser. */
  private static final int MAX_DEPTH = 16;

  /** How many presentities' and dialogs' memories are kept at most (each a few dozen bytes). */
  static final long MAX_REMEMBERED = 100_000;

  private final DialogInfoParser parser;
  private final Cache<String, Boolean> terminated;
  private final Cache<String, Dialog> derived;
  private final AtomicLong derivedIds = new AtomicLong();

  /**
   * @param maxDocumentBytes largest PUBLISH body accepted
   * @param memory how long a terminated dialog id (and a derived dialog) is remembered: at least as
   *     long as a publication can live ({@code presence.publish.max-expires})
   * @param ticker the clock of that memory
   */
  public DialogPackage(int maxDocumentBytes, Duration memory, Ticker ticker) {
    this.parser = new DialogInfoParser(maxDocumentBytes, MAX_DEPTH);
    this.terminated =
        Caffeine.newBuilder()
            .maximumSize(MAX_REMEMBERED)
            .expireAfterWrite(memory)
            .ticker(ticker)
            .executor(Runnable::run)
            .build();
    this.derived =
        Caffeine.newBuilder()
            .maximumSize(MAX_REMEMBERED)
            .expireAfterAccess(memory)
            .ticker(ticker)
            .executor(Runnable::run)
            .build();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String publishContentType() {
    return DIALOG_INFO;
  }

  @Override
  public List<AcceptedType> acceptedTypes() {
    return List.of(new AcceptedType(DIALOG_INFO, DIALOG_INFO));
  }

  /** The telephony presence of the {@code presence} package is composed here too. */
  @Override
  public List<String> derivedFrom() {
    return List.of(PresencePackage.NAME);
  }

  @Override
  public Object parse(byte[] body) throws BadDocumentException {
    try {
      return parser.parse(body);
    } catch (DialogInfoException e) {
      throw new BadDocumentException(e.getMessage());
    }
  }

  /** Remembers the dialogs a new publication shows terminated, whether or not anyone watches. */
  @Override
  public void published(String entity, Object document) {
    if (document instanceof DialogInfo info) {
      for (Dialog d : info.dialogs()) {
        if (d.state() == DialogState.TERMINATED) {
          terminated.put(key(entity, d.id()), Boolean.TRUE);
        }
      }
    }
  }

  @Override
  public String compose(String entity, List<Object> documents, boolean registered) {
    List<DialogInfo> published = new ArrayList<>();
    PhoneState phone = PhoneState.NONE;
    for (Object d : documents) {
      if (d instanceof DialogInfo info) {
        published.add(info);
      } else if (d instanceof TelephonyDocument t) {
        phone = phone.max(t.pidf().phoneState());
      }
    }
    if (!published.isEmpty()) {
      return DialogInfoComposer.compose(entity, merge(entity, published));
    }
    Dialog d = derive(entity, phone);
    return DialogInfoComposer.compose(entity, d == null ? List.of() : List.of(d));
  }

  /** Every watcher's NOTIFYs count from 0 (RFC 4235 §4.1). */
  @Override
  public boolean countsVersions() {
    return true;
  }

  @Override
  public String withVersion(String document, long version) {
    return DialogInfoComposer.withVersion(document, version);
  }

  /** No dialogs: what a presentity with no call shows. */
  @Override
  public String politeBlock(String entity) {
    return DialogInfoComposer.compose(entity, List.of());
  }

  /** The dialogs of {@code published} (oldest first) by id; terminated is final. */
  private List<Dialog> merge(String entity, List<DialogInfo> published) {
    Map<String, Dialog> byId = new LinkedHashMap<>();
    for (DialogInfo info : published) {
      for (Dialog d : info.dialogs()) {
        Dialog before = byId.get(d.id());
        if (before == null || before.state() != DialogState.TERMINATED) {
          byId.put(d.id(), d);
        }
      }
    }
    List<Dialog> merged = new ArrayList<>(byId.size());
    for (Dialog d : byId.values()) {
      String k = key(entity, d.id());
      if (d.state() == DialogState.TERMINATED) {
        terminated.put(k, Boolean.TRUE);
        merged.add(d);
      } else if (terminated.getIfPresent(k) != null) {
        // RFC 4235 §3.7.1: terminated is final; this publication is stale for that dialog.
        merged.add(d.withState(DialogState.TERMINATED));
      } else {
        merged.add(d);
      }
    }
    return merged;
  }

  /**
   * The dialog derived from the phone state: ringing early, on the phone confirmed, else the
   * current call's dialog (if any) terminated. Null when there has been no call.
   */
  private Dialog derive(String entity, PhoneState phone) {
    DialogState target =
        switch (phone) {
          case ALERTING -> DialogState.EARLY;
          case ON_THE_PHONE -> DialogState.CONFIRMED;
          case NONE, AVAILABLE, DND -> null;
        };
    Dialog current = derived.getIfPresent(entity);
    boolean inCall = current != null && current.state() != DialogState.TERMINATED;
    Dialog next;
    if (target == null) {
      next = inCall ? current.withState(DialogState.TERMINATED) : current;
    } else if (!inCall) {
      next =
          new Dialog(
              "cucm-" + Long.toString(derivedIds.incrementAndGet(), 36),
              null,
              null,
              null,
              target == DialogState.EARLY ? "recipient" : null,
              target,
              null,
              null,
              null,
              null);
    } else if (current.state() == DialogState.CONFIRMED || current.state() == target) {
      // In a call a second call may ring: the lamp stays busy.
      next = current;
    } else {
      next = current.withState(target);
    }
    if (next != null && next != current) {
      derived.put(entity, next);
    }
    return next;
  }

  private static String key(String entity, String dialogId) {
    return entity + "\n" + dialogId;
  }
}
