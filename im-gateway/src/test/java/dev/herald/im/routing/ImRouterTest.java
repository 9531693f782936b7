package dev.herald.im.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.im.mapping.AddressMapping;
import dev.herald.im.mapping.StanzaError;
import dev.herald.im.mapping.XmppToSip;
import dev.herald.im.routing.ImRouter.Devices;
import dev.herald.im.routing.ImRouter.NoSuchUser;
import dev.herald.im.routing.ImRouter.NotRegistered;
import dev.herald.im.routing.ImRouter.ToXmpp;
import dev.herald.im.routing.ImRouter.XmppDown;
import dev.herald.im.xmpp.XmlElement;
import dev.herald.im.xmpp.XmppComponent;
import dev.herald.sip.Identity;
import dev.herald.sip.Rejection;
import dev.herald.sip.RequestResult;
import dev.herald.sip.ResponseCallback;
import dev.herald.sip.SipMessages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Where the router sends a message, and what comes back to an XMPP sender, with in-memory users, a
 * recording SIP sender and a recording component: no sockets, no sleeping.
 */
class ImRouterTest {
  private static final String NS = XmppComponent.NAMESPACE;

  private final Map<String, List<String>> registered = new HashMap<>();
  private final Set<String> directory = Set.of("sip:alice@herald.test", "sip:carol@herald.test");
  private final RecordingSender sent = new RecordingSender();
  private final RecordingComponent component = new RecordingComponent();

  private final SipUsers users =
      new SipUsers() {
        @Override
        public boolean isKnown(String aor) {
          return directory.contains(aor);
        }

        @Override
        public Rejection maySendAs(Identity who, String fromAor) {
          return null; // who may send as whom is AccessPolicyTest's and MessageAuthIT's
        }

        @Override
        public List<String> contacts(String aor) {
          return registered.getOrDefault(aor, List.of());
        }
      };

  private ImRouter router(boolean withXmpp) {
    return new ImRouter(
        users,
        sent,
        (key, task) -> task.run(),
        (delay, task) -> {},
        withXmpp
            ? Optional.of(
                new ImRouter.XmppSide(
                    AddressMapping.of("sip.herald.test", Map.of("herald.test", "xmpp.herald.test")),
                    () -> component,
                    Duration.ofMillis(500)))
            : Optional.empty());
  }

  // ------------------------------------------------------------------ routing decisions

  @Test
  void aRegisteredUserGetsItsDevices() {
    registered.put("sip:alice@herald.test", List.of("sip:alice@127.0.0.1:5070", "sip:a@h:5080"));

    assertEquals(
        new Devices(List.of("sip:alice@127.0.0.1:5070", "sip:a@h:5080")),
        router(true).route("sip:alice@herald.test"));
  }

  /** Without a directory (source: none) a registration alone makes a local user. */
  @Test
  void someoneRegisteredButNotInTheDirectoryIsLocalToo() {
    registered.put("sip:dave@herald.test", List.of("sip:dave@127.0.0.1:5070"));

    assertEquals(
        new Devices(List.of("sip:dave@127.0.0.1:5070")),
        router(true).route("sip:dave@herald.test"));
  }

  /**
   * Fuzzing finding (CI fuzz step): a REGISTER may bind a tel: contact; a MESSAGE sent to it made
   * JAIN-SIP's router throw ("Unexpected non-sip URI" at ERROR) and the sender got 500. Only SIP
   * and SIPS contacts are devices; a user with no other is not reachable over SIP (480).
   */
  @Test
  void onlySipContactsAreDevices() {
    registered.put("sip:dave@herald.test", List.of("tel:+15551234", "SIP:dave@127.0.0.1:5070"));
    registered.put("sip:erin@herald.test", List.of("tel:+15551234", "mailto:erin@example.org"));

    assertEquals(
        new Devices(List.of("SIP:dave@127.0.0.1:5070")),
        router(true).route("sip:dave@herald.test"));
    assertEquals(new NotRegistered(), router(true).route("sip:erin@herald.test"));
  }

  @Test
  void aKnownUserWithoutADeviceIsNotRegistered() {
    assertEquals(new NotRegistered(), router(true).route("sip:carol@herald.test"));
  }

  @Test
  void anyoneElseOfAPairedDomainIsAnXmppUser() throws Exception {
    assertEquals(
        new ToXmpp(JidCreate.entityBareFrom("xena@xmpp.herald.test")),
        router(true).route("sip:xena@herald.test"));
  }

  @Test
  void anXmppUserWhileTheLinkIsDownIsRefusedWithItsRetryAfter() {
    component.state = XmppComponent.State.DOWN;
    component.retryAfter = Duration.ofSeconds(7);

    assertEquals(new XmppDown(7), router(true).route("sip:xena@herald.test"));
  }

  @Test
  void withoutAnXmppSectionAnUnknownUserIsNobody() {
    assertEquals(
        new NoSuchUser("no user sip:xena@herald.test"),
        router(false).route("sip:xena@herald.test"));
  }

  @Test
  void anUnknownUserOfADomainWithoutXmppPairIsNobody() {
    ImRouter.Route route = router(true).route("sip:xena@other.test");

    assertTrue(
        route instanceof NoSuchUser none
            && none.why().startsWith("no user sip:xena@other.test, and no XMPP user either"),
        route.toString());
  }

  // ------------------------------------------------------------------ CUCM trunks

  /** A trunk homing sip:yvonne@herald.test (listed) and, if notHomed, everyone else too. */
  private final Map<String, TrunkHomes.Home> trunkHomes = new HashMap<>();

  private ImRouter routerWithTrunks(boolean withXmpp) {
    return new ImRouter(
        users,
        sent,
        (key, task) -> task.run(),
        (delay, task) -> {},
        withXmpp
            ? Optional.of(
                new ImRouter.XmppSide(
                    AddressMapping.of("sip.herald.test", Map.of("herald.test", "xmpp.herald.test")),
                    () -> component,
                    Duration.ofMillis(500)))
            : Optional.empty(),
        (aor, homed) ->
            Optional.ofNullable(trunkHomes.get(aor))
                .or(() -> homed ? Optional.empty() : Optional.ofNullable(trunkHomes.get("*"))));
  }

  private static TrunkHomes.Home listed(String target) {
    return new TrunkHomes.Home("cucm1", false, Optional.ofNullable(target));
  }

  @Test
  void aUserListedOnATrunkGoesToTheTrunk() {
    trunkHomes.put("sip:yvonne@herald.test", listed("sip:yvonne@127.0.0.1:5090"));

    assertEquals(
        new ImRouter.ToTrunk("cucm1", "sip:yvonne@127.0.0.1:5090"),
        routerWithTrunks(true).route("sip:yvonne@herald.test"));
  }

  /** A directory user without a registration whose phone is on CUCM: the trunk, not 480. */
  @Test
  void aKnownUserListedOnATrunkGoesToTheTrunkRatherThanNotRegistered() {
    trunkHomes.put("sip:carol@herald.test", listed("sip:carol@127.0.0.1:5090"));

    assertEquals(
        new ImRouter.ToTrunk("cucm1", "sip:carol@127.0.0.1:5090"),
        routerWithTrunks(true).route("sip:carol@herald.test"));
  }

  @Test
  void aRegisteredDeviceComesBeforeTheTrunk() {
    trunkHomes.put("sip:carol@herald.test", listed("sip:carol@127.0.0.1:5090"));
    registered.put("sip:carol@herald.test", List.of("sip:carol@127.0.0.1:5070"));

    assertEquals(
        new Devices(List.of("sip:carol@127.0.0.1:5070")),
        routerWithTrunks(true).route("sip:carol@herald.test"));
  }

  @Test
  void aTrunkWithoutAPeerInServiceIsTrunkDown() {
    trunkHomes.put("sip:yvonne@herald.test", listed(null));

    assertEquals(
        new ImRouter.TrunkDown("cucm1"), routerWithTrunks(true).route("sip:yvonne@herald.test"));
  }

  /** TrunkPresentities' precedence: the XMPP gateway's users before a not-homed trunk's. */
  @Test
  void aNotHomedTrunkComesAfterTheXmppGateway() {
    trunkHomes.put(
        "*", new TrunkHomes.Home("cucm1", true, Optional.of("sip:someone@127.0.0.1:5090")));

    assertTrue(
        routerWithTrunks(true).route("sip:xena@herald.test") instanceof ToXmpp,
        "a user of the domain paired with XMPP");
    assertEquals(
        new ImRouter.ToTrunk("cucm1", "sip:someone@127.0.0.1:5090"),
        routerWithTrunks(true).route("sip:xena@other.test"),
        "a domain XMPP does not serve");
    assertEquals(
        new ImRouter.ToTrunk("cucm1", "sip:someone@127.0.0.1:5090"),
        routerWithTrunks(false).route("sip:xena@herald.test"),
        "no XMPP side at all");
    assertEquals(
        new NotRegistered(),
        routerWithTrunks(true).route("sip:carol@herald.test"),
        "a directory user is homed on Herald, not on the not-homed trunk");
  }

  // ------------------------------------------------------------------ XMPP -> SIP

  private static XmlElement chat(String from, String to, String body) {
    XmlElement.Builder m =
        XmlElement.builder("message", NS)
            .attribute("from", from)
            .attribute("to", to)
            .attribute("id", "x1")
            .attribute("type", "chat");
    if (body != null) {
      m.child(XmlElement.builder("body", NS).text(body).build());
    }
    return m.child(XmlElement.builder("thread", NS).text("thread-7").build()).build();
  }

  private StanzaError onlyError() {
    assertEquals(1, component.sent.size(), component.sent.toString());
    XmlElement reply = component.sent.get(0);
    assertEquals("error", reply.attribute("type").orElseThrow());
    assertEquals("x1", reply.attribute("id").orElseThrow());
    assertEquals("xena@xmpp.herald.test/phone", reply.attribute("to").orElseThrow());
    return XmppToSip.error(reply);
  }

  @Test
  void anXmppMessageGoesToEveryDeviceFromTheSendersSipAddress() throws Exception {
    registered.put(
        "sip:alice@herald.test",
        List.of("sip:alice@127.0.0.1:5070", "sip:a@127.0.0.1:5080;transport=tcp"));

    router(true).xmppMessage(chat("xena@xmpp.herald.test/phone", "alice@sip.herald.test", "hi"));

    assertEquals(2, sent.requests.size());
    Request r = sent.requests.get(0);
    assertEquals(Request.MESSAGE, r.getMethod());
    assertEquals("sip:alice@127.0.0.1:5070", r.getRequestURI().toString());
    assertEquals(
        "sip:a@127.0.0.1:5080;transport=tcp", sent.requests.get(1).getRequestURI().toString());
    assertEquals(
        "sip:xena@herald.test",
        ((FromHeader) r.getHeader(FromHeader.NAME)).getAddress().getURI().toString());
    assertEquals(
        "sip:alice@herald.test",
        ((ToHeader) r.getHeader(ToHeader.NAME)).getAddress().getURI().toString());
    assertEquals("thread-7", ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId());
    assertEquals("hi", new String(r.getRawContent(), StandardCharsets.UTF_8));
    javax.sip.header.ContentTypeHeader type =
        (javax.sip.header.ContentTypeHeader) r.getHeader("Content-Type");
    assertEquals("text/plain", type.getContentType() + "/" + type.getContentSubType());
    assertEquals("UTF-8", type.getParameter("charset"));
  }

  @Test
  void aDeliveredMessageSendsNothingBack() throws Exception {
    registered.put("sip:alice@herald.test", List.of("sip:alice@127.0.0.1:5070"));
    router(true).xmppMessage(chat("xena@xmpp.herald.test/phone", "alice@sip.herald.test", "hi"));

    sent.answer(0, 200);

    assertEquals(List.of(), component.sent);
  }

  /** Both devices fail: the best response (486 over 503) becomes recipient-unavailable. */
  @Test
  void whenEveryDeviceFailsTheBestErrorGoesBackAsAStanzaError() throws Exception {
    registered.put(
        "sip:alice@herald.test", List.of("sip:alice@127.0.0.1:5070", "sip:alice@127.0.0.1:5080"));
    router(true).xmppMessage(chat("xena@xmpp.herald.test/phone", "alice@sip.herald.test", "hi"));

    sent.answer(0, 503);
    assertEquals(List.of(), component.sent, "one device has not answered yet");
    sent.answer(1, 486);

    StanzaError error = onlyError();
    assertEquals("recipient-unavailable", error.condition());
    assertEquals("wait", error.type());
    assertEquals("SIP 486 Busy here", error.text());
  }

  @Test
  void aDeviceThatNeverAnswersIsARemoteServerTimeout() throws Exception {
    registered.put("sip:alice@herald.test", List.of("sip:alice@127.0.0.1:5070"));
    router(true).xmppMessage(chat("xena@xmpp.herald.test/phone", "alice@sip.herald.test", "hi"));

    sent.callbacks.get(0).completed(RequestResult.timeout());

    assertEquals("remote-server-timeout", onlyError().condition());
  }

  @Test
  void toNobodyIsItemNotFound() {
    router(true).xmppMessage(chat("xena@xmpp.herald.test/phone", "nobody@sip.herald.test", "hi"));

    assertEquals(
        new StanzaError("item-not-found", "cancel", "no SIP user sip:nobody@herald.test"),
        onlyError());
    assertEquals(List.of(), sent.requests);
  }

  @Test
  void toAKnownUserWithoutADeviceIsRecipientUnavailable() {
    router(true).xmppMessage(chat("xena@xmpp.herald.test/phone", "carol@sip.herald.test", "hi"));

    assertEquals("recipient-unavailable", onlyError().condition());
  }

  @Test
  void aSenderOfAnUnpairedDomainIsForbidden() {
    router(true).xmppMessage(chat("mallory@elsewhere.test/x", "alice@sip.herald.test", "hi"));

    XmlElement reply = component.sent.get(0);
    assertEquals("forbidden", XmppToSip.error(reply).condition());
  }

  @Test
  void aRecipientNamingTheHomeDomainExplicitlyIsNotFound() {
    router(true)
        .xmppMessage(
            chat("xena@xmpp.herald.test/phone", "alice\\40herald.test@sip.herald.test", "hi"));

    assertEquals("item-not-found", onlyError().condition());
  }

  @Test
  void aBodyOverTheBoundIsAPolicyViolation() {
    router(true)
        .xmppMessage(
            chat("xena@xmpp.herald.test/phone", "alice@sip.herald.test", "x".repeat(1301)));

    assertEquals("policy-violation", onlyError().condition());
  }

  @Test
  void groupchatIsNotCarried() {
    XmlElement groupchat =
        XmlElement.builder("message", NS)
            .attribute("from", "xena@xmpp.herald.test/phone")
            .attribute("to", "alice@sip.herald.test")
            .attribute("id", "x1")
            .attribute("type", "groupchat")
            .child(XmlElement.builder("body", NS).text("all").build())
            .build();
    router(true).xmppMessage(groupchat);

    assertEquals("feature-not-implemented", onlyError().condition());
  }

  /** A chat state (XEP-0085) has nothing to relay, and is no error either. */
  @Test
  void aMessageWithoutBodyIsNotRelayed() {
    router(true).xmppMessage(chat("xena@xmpp.herald.test/phone", "alice@sip.herald.test", null));

    assertEquals(List.of(), sent.requests);
    assertEquals(List.of(), component.sent);
  }

  @Test
  void anErrorForAMessageHeraldDoesNotKnowIsDropped() {
    XmlElement error =
        SipToXmppErrors.error("xena@xmpp.herald.test", "alice@sip.herald.test", "herald-unknown");

    router(true).xmppMessage(error);

    assertEquals(List.of(), component.sent);
    assertEquals(List.of(), sent.requests);
  }

  /** An error stanza as an XMPP server returns it. */
  private static final class SipToXmppErrors {
    static XmlElement error(String from, String to, String id) {
      return dev.herald.im.mapping.SipToXmpp.errorReply(
          XmlElement.builder("message", NS)
              .attribute("from", to)
              .attribute("to", from)
              .attribute("id", id)
              .build(),
          new StanzaError("service-unavailable", "cancel", ""));
    }
  }

  /** Records what the router sends over SIP, and answers on demand. */
  private static final class RecordingSender implements SipSender {
    final List<Request> requests = new ArrayList<>();
    final List<ResponseCallback> callbacks = new ArrayList<>();

    @Override
    public void send(Request request, ResponseCallback callback) {
      requests.add(request);
      callbacks.add(callback);
    }

    void answer(int index, int status) throws Exception {
      callbacks
          .get(index)
          .completed(
              RequestResult.of(SipMessages.MESSAGES.createResponse(status, requests.get(index))));
    }
  }

  /** A component that records what it is asked to send. */
  private static final class RecordingComponent implements XmppComponent {
    final List<XmlElement> sent = new ArrayList<>();
    State state = State.UP;
    Duration retryAfter = Duration.ZERO;

    @Override
    public State state() {
      return state;
    }

    @Override
    public Duration retryAfter() {
      return retryAfter;
    }

    @Override
    public boolean send(XmlElement stanza) {
      if (state != State.UP) {
        return false;
      }
      sent.add(stanza);
      return true;
    }

    @Override
    public void close() {
      state = State.CLOSED;
    }
  }
}
