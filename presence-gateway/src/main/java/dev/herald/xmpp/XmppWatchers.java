package dev.herald.xmpp;

import dev.herald.im.mapping.AddressMapping;
import dev.herald.im.mapping.AddressMappingException;
import dev.herald.im.presence.PidfToXmpp;
import dev.herald.im.presence.PresenceInfo;
import dev.herald.im.xmpp.XmlElement;
import dev.herald.presence.PresenceEngine;
import dev.herald.presence.RemoteWatcher;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design note. An XMPP user who subscribes to alice@sip.herald.test becomes a remote watcher of
 * sip:alice@herald.test in the engine, authorized as the SIP address its JID maps to
 * (bob@xmpp.herald.test is sip:bob@herald.test, as RFC 8048 §4.1 has the gateway subscribe on its
 * behalf), so the users file's lists, the domain policy and Herald.authorization() decide for it as
 * for a SIP watcher. The engine calls the watcher on the presentity's lane, in the order of the
 * NOTIFYs; this class turns each view into stanzas there (sending does not block):
 *
 *   view       what the XMPP user gets
 *   PENDING    nothing yet (its server keeps the request pending, RFC 6121 §3.1.3)
 *   ACTIVE     `subscribed` if its subscribe is still unanswered, then the state as <presence/>
 *   BLOCKED    after PENDING (a deny): `unsubscribed`, and the watch ends (RFC 6121 §3.2);
 *              otherwise (the rules block it, or a later deny): `subscribed` if unanswered, then
 *              unavailable, whatever the presentity does: the polite block, as SIP watchers get it
 *   REFUSED    a presence error, resource-constraint (over presence.max-subscriptions-...)
 *
 * Two concurrent sets keep what lies between the stanza thread and the lanes: the pairs whose
 * subscribe waits for its `subscribed`, and the pairs pending a decision. The XMPP roster keeps a
 * subscription across a restart of Herald, which does not; a probe from a watcher the engine does
 * not know, that the rules allow, makes it a watcher again (PresenceEngine.probe).
 */

/** XMPP users watching Herald's SIP users (RFC 8048 §4, §6.3). */
final class XmppWatchers {
  private static final Logger LOG = LoggerFactory.getLogger(XmppWatchers.class);

  private final AddressMapping mapping;
  private final Predicate<String> presenceUser;
  private final PresenceEngine engine;
  private final ComponentLink link;
  private final Set<Pair> toAnswer = ConcurrentHashMap.newKeySet();
  private final Set<Pair> pending = ConcurrentHashMap.newKeySet();
  private final Map<Pair, Boolean> watching = new ConcurrentHashMap<>();

  /**
   * @param presenceUser whether a SIP address is a user of Herald enabled for presence
   */
  XmppWatchers(
      AddressMapping mapping,
      Predicate<String> presenceUser,
      PresenceEngine engine,
      ComponentLink link) {
    this.mapping = mapping;
    this.presenceUser = presenceUser;
    this.engine = engine;
    this.link = link;
  }

  /** A watcher and the SIP user it watches, with the JIDs each has in XMPP. */
  record Pair(String presentity, String watcher, String presentityJid, String watcherJid) {}

  /** A presence stanza from an XMPP user to a SIP user's JID ({@code to}), on the stanza thread. */
  void stanza(XmlElement p, EntityBareJid to, EntityBareJid from) {
    String type = p.attribute("type").orElse("");
    boolean request = type.equals("subscribe") || type.equals("probe");
    String presentity;
    try {
      presentity = mapping.jidToSipUser(to);
    } catch (AddressMappingException e) {
      if (request) {
        LOG.info("XMPP {} from {} refused: {}", type, from, e.getMessage());
        link.send(PresenceStanzas.error(p, "cancel", "item-not-found", e.getMessage()));
      }
      return;
    }
    if (!presenceUser.test(presentity)) {
      if (request) {
        // RFC 6121 §3.1.3, §4.3.2: no such user is answered "unsubscribed".
        LOG.info("XMPP {} from {} to {}: no presence user {}", type, from, to, presentity);
        link.send(PresenceStanzas.ofType("unsubscribed", to.toString(), from.toString()));
      }
      return;
    }
    String watcher;
    try {
      watcher = mapping.xmppUserToSip(from);
    } catch (AddressMappingException e) {
      if (request) {
        LOG.info("XMPP {} from {} refused: {}", type, from, e.getMessage());
        link.send(
            PresenceStanzas.error(
                p,
                "cancel",
                "forbidden",
                "presence of SIP users is shared with the XMPP domains the gateway maps only: "
                    + e.getMessage()));
      }
      return;
    }
    Pair pair = new Pair(presentity, watcher, to.toString(), from.toString());
    switch (type) {
      case "subscribe" -> {
        toAnswer.add(pair);
        engine.watch(presentity, watcher, view -> update(pair, view));
      }
      case "unsubscribe" -> {
        engine.unwatch(presentity, watcher);
        link.send(PresenceStanzas.ofType("unsubscribed", pair.presentityJid, pair.watcherJid));
      }
      case "probe" -> engine.probe(presentity, watcher, view -> update(pair, view));
      case "error" ->
          LOG.info(
              "XMPP error {} from {} about {}'s presence",
              PresenceStanzas.condition(p),
              from,
              presentity);
      default ->
          // subscribed, unsubscribed, and directed presence: SIP users never subscribe to XMPP
          // users from their own JIDs (the gateway's JID does, see XmppContacts).
          LOG.debug("XMPP presence {} from {} to {} not for the gateway: ignored", type, from, to);
    }
  }

  /** The component is up again: every watcher gets its current view, which it may have missed. */
  void resend() {
    for (Pair pair : watching.keySet()) {
      engine.probe(pair.presentity, pair.watcher, view -> update(pair, view));
    }
  }

  /** A view of the engine's, on the presentity's lane. */
  private void update(Pair pair, RemoteWatcher.View view) {
    switch (view.status()) {
      case PENDING -> {
        pending.add(pair);
        watching.put(pair, true);
      }
      case ACTIVE -> {
        pending.remove(pair);
        watching.put(pair, true);
        answerSubscribe(pair);
        send(pair, PidfToXmpp.read(view.document()));
      }
      case BLOCKED -> {
        if (pending.remove(pair)) {
          // A decision to deny what waited for one: XMPP's answer is "unsubscribed".
          toAnswer.remove(pair);
          watching.remove(pair);
          engine.unwatch(pair.presentity, pair.watcher);
          link.send(PresenceStanzas.ofType("unsubscribed", pair.presentityJid, pair.watcherJid));
          return;
        }
        answerSubscribe(pair);
        send(pair, PresenceInfo.UNAVAILABLE);
      }
      case TERMINATED -> {
        pending.remove(pair);
        toAnswer.remove(pair);
        watching.remove(pair);
      }
      case REFUSED -> {
        toAnswer.remove(pair);
        LOG.info(
            "XMPP watcher {} of {} refused: {}", pair.watcherJid, pair.presentity, view.reason());
        link.send(
            PresenceStanzas.error(
                PresenceStanzas.ofType("subscribe", pair.watcherJid, pair.presentityJid),
                "wait",
                "resource-constraint",
                view.reason()));
      }
    }
  }

  private void answerSubscribe(Pair pair) {
    if (toAnswer.remove(pair)) {
      link.send(PresenceStanzas.ofType("subscribed", pair.presentityJid, pair.watcherJid));
    }
  }

  private void send(Pair pair, PresenceInfo info) {
    if (!link.send(PidfToXmpp.stanza(info, pair.presentityJid, pair.watcherJid))) {
      LOG.debug(
          "presence of {} for {} not sent: the XMPP component is down; sent when it is up",
          pair.presentity,
          pair.watcherJid);
    }
  }
}
