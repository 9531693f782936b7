package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code registrar.registration-as-presence: true}: a presentity with nothing published shows as
 * open while it has a live registration (RFC 3261 §10), and its watchers are told when that starts
 * and ends (RFC 3856 §6.6: a NOTIFY on every change). Herald trusts 127.0.0.1 here, so no
 * credentials are needed.
 */
class RegistrationPresenceIT {
  private static final String ALICE = "sip:alice@" + RunningHerald.DOMAIN;

  private RunningHerald herald;
  private SipUdpClient watcher;
  private SipUdpClient phone;

  @BeforeEach
  void start() throws Exception {
    herald =
        RunningHerald.start(
            """
            registrar:
              min-expires: 60
              default-expires: 3600
              max-expires: 7200
              registration-as-presence: true
            """);
    watcher = SipUdpClient.open(herald.port());
    phone = SipUdpClient.open(herald.port());
  }

  @AfterEach
  void stop() {
    watcher.close();
    phone.close();
    herald.close();
  }

  @Test
  void registeringAndUnregisteringIsNotifiedAsOpenThenClosed() throws IOException {
    watcher.send(subscribe(1, null, 600));
    Response subscribed = watcher.nextResponse();
    assertEquals(200, subscribed.getStatusCode(), subscribed.toString());
    assertBasic("closed", "active", answered(watcher.nextRequest()));

    phone.send(register(1, 600));
    Response registered = phone.nextResponse();
    assertEquals(200, registered.getStatusCode(), registered.toString());
    assertBasic("open", "active", answered(watcher.nextRequest()));

    phone.send(register(2, 0));
    Response unregistered = phone.nextResponse();
    assertEquals(200, unregistered.getStatusCode(), unregistered.toString());
    assertBasic("closed", "active", answered(watcher.nextRequest()));

    String heraldTag = ((ToHeader) subscribed.getHeader(ToHeader.NAME)).getTag();
    watcher.send(subscribe(2, heraldTag, 0));
    Response ended = watcher.nextResponse();
    assertEquals(200, ended.getStatusCode(), ended.toString());
    assertBasic("closed", "terminated", answered(watcher.nextRequest()));
    herald.await("no subscription left", s -> s.subscriptions() == 0);
  }

  /** bob watches alice; in the dialog when {@code heraldTag} is set. */
  private SipUdpClient.Draft subscribe(int cseq, String heraldTag, int expires) {
    return watcher
        .request("SUBSCRIBE", ALICE)
        .header("From", "<sip:bob@" + RunningHerald.DOMAIN + ">;tag=watch")
        .header("To", "<" + ALICE + ">" + (heraldTag == null ? "" : ";tag=" + heraldTag))
        .header("Call-ID", "registration-presence-watch")
        .header("CSeq", cseq + " SUBSCRIBE")
        .header("Contact", watcher.contact("bob"))
        .header("Event", "presence")
        .header("Accept", "application/pidf+xml")
        .header("Expires", Integer.toString(expires));
  }

  /** alice's phone binds its contact for {@code expires} seconds (0 removes it). */
  private SipUdpClient.Draft register(int cseq, int expires) {
    return phone
        .request("REGISTER", "sip:" + RunningHerald.DOMAIN)
        .header("From", "<" + ALICE + ">;tag=phone")
        .header("To", "<" + ALICE + ">")
        .header("Call-ID", "registration-presence-phone")
        .header("CSeq", cseq + " REGISTER")
        .header("Contact", phone.contact("alice"))
        .header("Expires", Integer.toString(expires));
  }

  /** Answers the NOTIFY 200, so Herald's transaction completes and the next one may go. */
  private Request answered(Request notify) throws IOException {
    watcher.answer(notify, 200);
    return notify;
  }

  private static void assertBasic(String basic, String state, Request notify) {
    assertEquals("NOTIFY", notify.getMethod(), notify.toString());
    SubscriptionStateHeader s =
        (SubscriptionStateHeader) notify.getHeader(SubscriptionStateHeader.NAME);
    assertNotNull(s, "no Subscription-State in\n" + notify);
    assertEquals(state, s.getState(), notify.toString());
    byte[] raw = notify.getRawContent();
    String body = raw == null ? "" : new String(raw, StandardCharsets.UTF_8);
    assertTrue(body.contains("<basic>" + basic + "</basic>"), "expected " + basic + ":\n" + notify);
    String other = basic.equals("open") ? "closed" : "open";
    assertTrue(
        !body.contains("<basic>" + other + "</basic>"), "unexpected " + other + ":\n" + body);
  }
}
