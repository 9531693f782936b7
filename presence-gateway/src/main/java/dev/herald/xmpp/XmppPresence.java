package dev.herald.xmpp;

import dev.herald.config.XmppSettings;
import dev.herald.directory.RemotePresentities;
import dev.herald.im.mapping.AddressMapping;
import dev.herald.im.xmpp.XmlElement;
import dev.herald.im.xmpp.XmppComponent;
import dev.herald.presence.PresenceEngine;
import dev.herald.presence.PresencePackage;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Domainpart;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence across the XMPP gateway (RFC 8048): takes every {@code <presence/>} stanza the component
 * receives and the component's state changes, and the engine's watcher counts; sends what the
 * engine's remote watchers and the gateway's subscriptions need.
 *
 * <p>A stanza to a SIP user's JID ({@code alice@sip.herald.test}) is an XMPP user's subscription,
 * unsubscription or probe of that SIP user ({@link XmppWatchers}); a stanza to the gateway's own
 * JID (the bare component domain) concerns the gateway's subscription to an XMPP user whom SIP
 * users watch ({@link XmppContacts}).
 *
 * <p>Threading: everything but the engine's updates runs on one thread, {@code xmpp-presence}:
 * stanzas and state changes hop to it from MINA's I/O thread (which must not wait for the
 * directory), watcher counts from the lanes. Updates of remote watchers are sent from the lanes.
 */
public final class XmppPresence implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(XmppPresence.class);

  private final ScheduledExecutorService thread;
  private final Domainpart gateway;
  private final XmppWatchers watchers;
  private final XmppContacts contacts;
  private final ComponentLink link;

  private XmppPresence(
      ScheduledExecutorService thread,
      Domainpart gateway,
      XmppWatchers watchers,
      XmppContacts contacts,
      ComponentLink link) {
    this.thread = thread;
    this.gateway = gateway;
    this.watchers = watchers;
    this.contacts = contacts;
    this.link = link;
  }

  /**
   * Presence across the gateway that {@code settings} describe.
   *
   * @param knownUser whether Herald's directory has a user of a SIP address (then it is never an
   *     XMPP user's); always true without a directory, where every address is Herald's
   * @param presenceUser whether a SIP address is a user of Herald's enabled for presence
   * @param link the component connection (it may be connected after this is made)
   */
  public static XmppPresence start(
      XmppSettings settings,
      PresenceEngine engine,
      PresencePackage pidf,
      Predicate<String> knownUser,
      Predicate<String> presenceUser,
      ComponentLink link) {
    AddressMapping mapping = AddressMapping.of(settings);
    ScheduledExecutorService thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "xmpp-presence");
              t.setDaemon(true);
              return t;
            });
    GatewayThread gatewayThread =
        new GatewayThread() {
          @Override
          public void execute(Runnable task) {
            thread.execute(task);
          }

          @Override
          public Cancellable schedule(Runnable task, Duration delay) {
            java.util.concurrent.Future<?> f =
                thread.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
          }
        };
    XmppContacts contacts =
        new XmppContacts(
            mapping,
            knownUser,
            engine,
            pidf,
            link,
            gatewayThread,
            Duration.ofSeconds(settings.subscribeLingerSeconds()));
    return new XmppPresence(
        thread,
        mapping.componentDomain(),
        new XmppWatchers(mapping, presenceUser, engine, link),
        contacts,
        link);
  }

  /** The XMPP users SIP users may watch, for the SUBSCRIBE access check. */
  public RemotePresentities remotePresentities() {
    return contacts;
  }

  /** The engine's count of live watchers of a presentity (see PresenceEngine.observeWatchers). */
  public void watchers(String presentity, int count) {
    contacts.watchers(presentity, count);
  }

  /** A {@code <presence/>} stanza from the XMPP server; any thread, it hops. */
  public void stanza(XmlElement presence) {
    thread.execute(() -> route(presence));
  }

  /** The component's new state; any thread, it hops. */
  public void connection(XmppComponent.State state) {
    if (state != XmppComponent.State.UP && state != XmppComponent.State.DOWN) {
      return;
    }
    thread.execute(
        () -> {
          boolean up = state == XmppComponent.State.UP;
          contacts.connection(up);
          if (up) {
            watchers.resend();
          }
        });
  }

  private void route(XmlElement p) {
    String type = p.attribute("type").orElse("");
    boolean request = type.equals("subscribe") || type.equals("probe");
    Jid to;
    Jid from;
    try {
      to = JidCreate.from(p.attribute("to").orElse(""));
      from = JidCreate.from(p.attribute("from").orElse(""));
    } catch (XmppStringprepException e) {
      LOG.info("XMPP presence with a malformed address ignored: {} ({})", p, e.getMessage());
      if (request && p.attribute("from").isPresent()) {
        link.send(PresenceStanzas.error(p, "modify", "jid-malformed", e.getMessage()));
      }
      return;
    }
    EntityBareJid fromUser = from.asEntityBareJidIfPossible();
    if (fromUser == null) {
      LOG.debug("XMPP presence from {}, not a user: ignored", from);
      return;
    }
    try {
      if (!to.getDomain().equals(gateway)) {
        LOG.debug("XMPP presence to {} is for no one here: ignored", to);
      } else if (to.getLocalpartOrNull() == null) {
        contacts.stanza(p, fromUser, from.getResourceOrEmpty().toString());
      } else {
        watchers.stanza(p, to.asEntityBareJidIfPossible(), fromUser);
      }
    } catch (RuntimeException e) {
      // The directory may be unreachable (LDAP); the request is answered, nothing is lost silently.
      LOG.warn("XMPP presence {} from {} to {} not handled: {}", type, from, to, e.toString());
      if (request) {
        link.send(
            PresenceStanzas.error(
                p, "wait", "internal-server-error", "the gateway cannot answer now: " + e));
      }
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
