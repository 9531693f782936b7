package dev.herald.xmpp;

import dev.herald.directory.RemotePresentities;
import dev.herald.im.mapping.AddressMapping;
import dev.herald.im.mapping.AddressMappingException;
import dev.herald.im.presence.PresenceInfo;
import dev.herald.im.presence.XmppToPidf;
import dev.herald.im.xmpp.XmlElement;
import dev.herald.presence.BadDocumentException;
import dev.herald.presence.PresenceEngine;
import dev.herald.presence.PresencePackage;
import dev.herald.presence.PublishReply;
import dev.herald.presence.Resource;
import dev.herald.sip.Rejection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design note. SIP users watch an XMPP user (sip:xena@herald.test, which no user of the directory
 * has and which maps to xena@xmpp.herald.test) through one XMPP subscription, however many they are
 * (RFC 8048 §5 has one per watcher; Herald shares one, as its back-end subscriptions to CUCM do).
 * It is made from the gateway's own JID, the bare component domain (sip.herald.test): no SIP user
 * has that JID, so the subscription belongs to nobody in particular and outlives any one watcher,
 * which the first watcher's JID would not; and it is how XEP-0100 gateways subscribe. The XMPP user
 * approves the gateway once, for all SIP watchers; who among those sees the state is then the
 * XMPP user's roster decision alone (Herald's rules are for its own users' presence).
 *
 *   first SIP watcher          -> <presence type='subscribe' from='sip.herald.test' to='xena@…'/>
 *   each <presence/> of xena   -> per resource; the available one of highest priority (the latest
 *                                 on a tie) is xena's state, as PIDF, in the engine (gatewayState)
 *   last SIP watcher gone      -> after xmpp.subscribe-linger: unsubscribe, state removed
 *   component down             -> closed, with a note saying the gateway is down
 *   component up again         -> subscribe and probe again (the server answers at once when the
 *                                 subscription is there: RFC 6121 §3.1.3, §4.3)
 *   unsubscribed / error       -> closed, with a note saying why (declined, or the error)
 *
 * All of it runs on one thread (the gateway's executor), so the table needs no lock. Watcher counts
 * come from the engine's lanes and hop here.
 */

/** SIP watchers of XMPP users: the gateway's subscriptions on the XMPP side (RFC 8048 §5). */
final class XmppContacts implements RemotePresentities {
  private static final Logger LOG = LoggerFactory.getLogger(XmppContacts.class);

  private final AddressMapping mapping;
  private final Predicate<String> knownUser;
  private final PresenceEngine engine;
  private final PresencePackage pidf;
  private final ComponentLink link;
  private final GatewayThread thread;
  private final Duration linger;
  private final String gatewayJid;
  // Thread-confined (the executor's one thread).
  private final Map<String, Contact> bySip = new HashMap<>();
  private final Map<EntityBareJid, Contact> byJid = new HashMap<>();

  /**
   * @param knownUser whether the directory has a user of that SIP address: such an address is never
   *     an XMPP user's
   * @param thread the one thread everything here runs on
   */
  XmppContacts(
      AddressMapping mapping,
      Predicate<String> knownUser,
      PresenceEngine engine,
      PresencePackage pidf,
      ComponentLink link,
      GatewayThread thread,
      Duration linger) {
    this.mapping = mapping;
    this.knownUser = knownUser;
    this.engine = engine;
    this.pidf = pidf;
    this.link = link;
    this.thread = thread;
    this.linger = linger;
    this.gatewayJid = mapping.componentDomain().toString();
  }

  /** The JID the gateway's subscriptions come from. */
  String gatewayJid() {
    return gatewayJid;
  }

  @Override
  public boolean serves(String address) {
    if (knownUser.test(address)) {
      return false;
    }
    try {
      mapping.sipToXmppUser(address);
      return true;
    } catch (AddressMappingException e) {
      return false;
    }
  }

  @Override
  public Rejection unavailable(String address) {
    if (link.isUp()) {
      return null;
    }
    return Rejection.of(
        503,
        "Service Unavailable (XMPP gateway down: cannot reach " + address + "'s presence)",
        "Retry-After",
        String.valueOf(Math.max(1, link.retryAfter().toSeconds())));
  }

  /** The number of live SIP watchers of {@code presentity}; from a lane, it hops. */
  void watchers(String presentity, int count) {
    try {
      thread.execute(() -> watchersHere(presentity, count));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closed: Herald is stopping, and the XMPP server keeps its subscriptions.
      LOG.debug("watcher count of {} after close: ignored", presentity);
    }
  }

  private void watchersHere(String presentity, int count) {
    Contact c = bySip.get(presentity);
    if (count > 0) {
      if (c == null) {
        EntityBareJid jid;
        try {
          if (!serves(presentity)) {
            return; // a user of Herald's, or no XMPP user
          }
          jid = mapping.sipToXmppUser(presentity);
        } catch (AddressMappingException | RuntimeException e) {
          LOG.warn("watchers of {}: not known as an XMPP user ({})", presentity, e.toString());
          return;
        }
        c = new Contact(presentity, jid);
        bySip.put(presentity, c);
        byJid.put(jid, c);
        LOG.info("SIP watchers of {}: subscribing to {} from {}", presentity, jid, gatewayJid);
        subscribe(c, false);
      }
      c.watchers = count;
      if (c.linger != null) {
        c.linger.cancel();
        c.linger = null;
      }
    } else if (c != null && c.linger == null) {
      c.watchers = 0;
      Contact leaving = c;
      c.linger = thread.schedule(() -> end(leaving), linger);
    }
  }

  private void end(Contact c) {
    if (c.watchers > 0 || bySip.get(c.sip) != c) {
      return;
    }
    bySip.remove(c.sip);
    byJid.remove(c.jid);
    LOG.info("no SIP watcher of {} left: unsubscribing from {}", c.sip, c.jid);
    if (!link.send(PresenceStanzas.ofType("unsubscribe", gatewayJid, c.jid.toString()))) {
      LOG.info(
          "unsubscribe from {} not sent: the XMPP component is down (the XMPP server keeps the"
              + " gateway's subscription until it is removed there)",
          c.jid);
    }
    store(c, null);
  }

  private void subscribe(Contact c, boolean probe) {
    if (!link.isUp()) {
      store(c, down(c));
      return;
    }
    link.send(PresenceStanzas.ofType("subscribe", gatewayJid, c.jid.toString()));
    if (probe) {
      link.send(PresenceStanzas.ofType("probe", gatewayJid, c.jid.toString()));
    }
  }

  private PresenceInfo down(Contact c) {
    return PresenceInfo.unavailable(
        "Presence unknown: the XMPP gateway cannot reach " + c.jid + " now");
  }

  /** A presence stanza from an XMPP user to the gateway's JID, on the gateway's thread. */
  void stanza(XmlElement p, EntityBareJid from, String resource) {
    String type = p.attribute("type").orElse("");
    Contact c = byJid.get(from);
    if (c == null) {
      if (type.equals("subscribe") || type.equals("probe")) {
        // The gateway's JID shares no presence of its own (RFC 6121 §3.1.3, §4.3.2).
        link.send(PresenceStanzas.ofType("unsubscribed", gatewayJid, from.toString()));
      } else {
        LOG.debug("XMPP presence {} from {}, whom no SIP user watches: ignored", type, from);
      }
      return;
    }
    switch (type) {
      case "", "unavailable" -> {
        PresenceInfo info = XmppToPidf.read(p);
        c.resources.remove(resource);
        if (info.available()) {
          c.resources.put(resource, info); // last on a tie of priorities
        } else {
          c.lastStatus = info.status();
        }
        store(c, state(c));
      }
      case "subscribed" -> {
        LOG.info("{} shares presence with the gateway", from);
      }
      case "unsubscribed" -> {
        LOG.info("{} declined or ended the gateway's presence subscription", from);
        c.resources.clear();
        store(
            c,
            PresenceInfo.unavailable(
                "Presence unknown: " + from + " does not share presence with the SIP gateway"));
      }
      case "error" -> {
        String condition = PresenceStanzas.condition(p);
        LOG.info("XMPP error {} from {} about the gateway's subscription", condition, from);
        c.resources.clear();
        store(c, PresenceInfo.unavailable("Presence unknown: XMPP error " + condition));
      }
      case "subscribe", "probe" ->
          link.send(PresenceStanzas.ofType("unsubscribed", gatewayJid, from.toString()));
      default -> LOG.debug("XMPP presence {} from {} to the gateway: ignored", type, from);
    }
  }

  /** The component's connection came up or went down; on the gateway's thread. */
  void connection(boolean up) {
    for (Contact c : List.copyOf(bySip.values())) {
      if (up) {
        subscribe(c, true);
      } else {
        c.resources.clear();
        store(c, down(c));
      }
    }
  }

  /** The XMPP user's state: its best available resource, or unavailable. */
  private static PresenceInfo state(Contact c) {
    PresenceInfo best = null;
    for (PresenceInfo info : c.resources.values()) {
      if (best == null || info.priority() >= best.priority()) {
        best = info;
      }
    }
    return best != null ? best : PresenceInfo.unavailable(c.lastStatus);
  }

  /** Stores {@code info} as the contact's state in the engine; null removes it. */
  private void store(Contact c, PresenceInfo info) {
    Resource resource = new Resource(c.sip, PresencePackage.NAME);
    Object document = null;
    if (info != null) {
      try {
        document = pidf.parse(XmppToPidf.pidf(c.sip, info, c.sip).getBytes(StandardCharsets.UTF_8));
      } catch (BadDocumentException e) {
        // Built here from the mapping: failing is a bug, not the XMPP user's fault.
        LOG.error("cannot build the PIDF of {} for {}", info, c.sip, e);
        return;
      }
    }
    engine.gatewayState(
        resource,
        document,
        new PublishReply() {
          @Override
          public void accepted(String etag, int expires) {}

          @Override
          public void rejected(Rejection rejection) {
            LOG.warn("XMPP presence of {} not kept: {}", c.sip, rejection);
          }
        });
  }

  /** One XMPP user that SIP users watch. */
  private static final class Contact {
    final String sip;
    final EntityBareJid jid;
    int watchers;
    GatewayThread.Cancellable linger;
    final Map<String, PresenceInfo> resources = new LinkedHashMap<>();
    String lastStatus = "";

    Contact(String sip, EntityBareJid jid) {
      this.sip = sip;
      this.jid = jid;
    }
  }
}
