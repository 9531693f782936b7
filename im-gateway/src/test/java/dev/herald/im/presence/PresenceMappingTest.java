package dev.herald.im.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.herald.im.xmpp.XmlElement;
import dev.herald.im.xmpp.XmppComponent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The presence tables of {@link PidfToXmpp} and {@link XmppToPidf}, both ways, and round trips. */
class PresenceMappingTest {
  private static final String NS = XmppComponent.NAMESPACE;

  private static String pidf(String basic, String activities, String note, String priority) {
    return "<?xml version='1.0'?><presence xmlns='urn:ietf:params:xml:ns:pidf'"
        + " xmlns:dm='urn:ietf:params:xml:ns:pidf:data-model'"
        + " xmlns:r='urn:ietf:params:xml:ns:pidf:rpid' entity='sip:alice@herald.test'>"
        + "<tuple id='t1'><status><basic>"
        + basic
        + "</basic></status>"
        + (priority.isEmpty()
            ? ""
            : "<contact priority='" + priority + "'>sip:alice@herald.test</contact>")
        + (note.isEmpty() ? "" : "<note>" + note + "</note>")
        + "</tuple>"
        + (activities.isEmpty()
            ? ""
            : "<dm:person id='p'><r:activities>" + activities + "</r:activities></dm:person>")
        + "</presence>";
  }

  private static PresenceInfo read(String xml) {
    return PidfToXmpp.read(xml.getBytes(StandardCharsets.UTF_8));
  }

  /** RPID activities (RFC 4480) of an open presentity, each to its XMPP show. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "'', NONE",
    "<r:busy/>, DND",
    "<r:on-the-phone/>, DND",
    "<r:meeting/>, DND",
    "<r:appointment/>, DND",
    "<r:away/>, AWAY",
    "<r:meal/>, AWAY",
    "<r:vacation/>, XA",
    "<r:holiday/>, XA",
    "<r:sleeping/>, XA",
    "<r:other>extended away</r:other>, XA",
    "<r:away/><r:other>Extended Away</r:other>, XA",
    "<r:other>chat</r:other>, CHAT",
    "<r:other>Free for Chat</r:other>, CHAT",
    "<r:working/>, NONE",
    "<r:unknown/>, NONE",
    "<r:other>gardening</r:other>, NONE",
    // the strongest wins: dnd over xa over away over chat
    "<r:away/><r:on-the-phone/>, DND",
    "<r:vacation/><r:away/>, XA",
    "<r:other>chat</r:other><r:away/>, AWAY",
  })
  void activitiesToShow(String activities, Show show) {
    PresenceInfo info = read(pidf("open", activities, "", ""));
    assertEquals(true, info.available());
    assertEquals(show, info.show());
  }

  /** Closed is unavailable whatever the activities say; its note is still the status. */
  @ParameterizedTest
  @CsvSource({"<r:busy/>", "<r:away/>", "''"})
  void closedIsUnavailable(String activities) {
    PresenceInfo info = read(pidf("closed", activities, "gone home", "0.8"));
    assertEquals(PresenceInfo.unavailable("gone home"), info);
    assertEquals(
        "<presence xmlns='jabber:component:accept' from='alice@sip.herald.test'"
            + " to='bob@xmpp.herald.test' type='unavailable'><status>gone home</status>"
            + "</presence>",
        PidfToXmpp.stanza(info, "alice@sip.herald.test", "bob@xmpp.herald.test").toXml());
  }

  /** A chat-like note of an open presentity with no stronger activity is chat. */
  @ParameterizedTest
  @CsvSource({"Free for chat, '', CHAT", "chat, <r:away/>, AWAY", "at lunch, '', NONE"})
  void noteToShow(String note, String activities, Show show) {
    PresenceInfo info = read(pidf("open", activities, note, ""));
    assertEquals(show, info.show());
    assertEquals(note, info.status());
  }

  /** RFC 3863 §4.1.5 qvalue to XMPP priority -128..127, linear. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"1, 127", "1.0, 127", "0, -128", "0.5, 0", "0.502, 0", "0.8, 76", "'', 0", "x, 0"})
  void contactPriorityToPriority(String q, int priority) {
    assertEquals(priority, read(pidf("open", "", "", q)).priority());
  }

  @Test
  void theStatusPrefersThePersonNoteThenAnOpenTuplesNote() {
    String xml =
        "<presence xmlns='urn:ietf:params:xml:ns:pidf'"
            + " xmlns:dm='urn:ietf:params:xml:ns:pidf:data-model' entity='sip:a@h'>"
            + "<tuple id='a'><status><basic>closed</basic></status><note>phone off</note></tuple>"
            + "<tuple id='b'><status><basic>open</basic></status><note>at my desk</note>"
            + "<contact priority='0.2'>sip:a@h</contact></tuple>"
            + "<tuple id='c'><status><basic>open</basic></status>"
            + "<contact priority='0.9'>sip:a@h</contact></tuple>"
            + "<note>document note</note></presence>";
    PresenceInfo info = read(xml);
    assertEquals("at my desk", info.status());
    assertEquals(PidfToXmpp.priority(0.9), info.priority(), "the highest open contact's");
    String withPerson =
        xml.replace("</presence>", "<dm:person id='p'><dm:note>in Paris</dm:note></dm:person>")
            + "</presence>";
    assertEquals("in Paris", read(withPerson).status());
  }

  @Test
  void notPidfIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> read("<presence/>"));
    assertThrows(IllegalArgumentException.class, () -> read("<presence xmlns='x'"));
  }

  private static XmlElement presence(String type, String show, String status, String priority) {
    XmlElement.Builder b =
        XmlElement.builder("presence", NS)
            .attribute("from", "bob@xmpp.herald.test/laptop")
            .attribute("to", "sip.herald.test");
    if (!type.isEmpty()) {
      b.attribute("type", type);
    }
    if (!show.isEmpty()) {
      b.child(XmlElement.builder("show", NS).text(show).build());
    }
    if (!status.isEmpty()) {
      b.child(XmlElement.builder("status", NS).text(status).build());
    }
    if (!priority.isEmpty()) {
      b.child(XmlElement.builder("priority", NS).text(priority).build());
    }
    return b.build();
  }

  /** XMPP presence (RFC 6121 §4.7) to PIDF basic, RPID activities, note and priority. */
  @ParameterizedTest(name = "type={0} show={1}")
  @CsvSource({
    "'', '', '', '', open, '', 0.502",
    "'', chat, '', '', open, <rpid:other>chat</rpid:other>, 0.502",
    "'', away, back soon, '', open, <rpid:away/>, 0.502",
    "'', xa, on leave, 5, open, <rpid:away/><rpid:other>extended away</rpid:other>, 0.522",
    "'', dnd, '', 127, open, <rpid:busy/>, 1.000",
    "'', dnd, '', -128, open, <rpid:busy/>, 0.000",
    "'', dnd, '', 300, open, <rpid:busy/>, 1.000",
    "'', sleepy, '', x, open, '', 0.502",
    "unavailable, away, gone, 5, closed, '', ''",
  })
  void xmppToPidf(
      String type,
      String show,
      String status,
      String priority,
      String basic,
      String activities,
      String q) {
    PresenceInfo info = XmppToPidf.read(presence(type, show, status, priority));
    String doc = XmppToPidf.pidf("sip:bob@herald.test", info, "sip:bob@herald.test");
    assertEquals(true, doc.contains("<basic>" + basic + "</basic>"), doc);
    assertEquals(activities, XmppToPidf.activities(info.show()));
    assertEquals(!activities.isEmpty(), doc.contains("<rpid:activities>" + activities), doc);
    assertEquals(!q.isEmpty(), doc.contains("<contact priority=\"" + q + "\">"), doc);
    assertEquals(!status.isEmpty(), doc.contains("<note>" + status + "</note>"), doc);
  }

  @Test
  void otherPresenceTypesAreNotAvailability() {
    for (String type : List.of("subscribe", "probe", "error", "subscribed")) {
      assertThrows(
          IllegalArgumentException.class, () -> XmppToPidf.read(presence(type, "", "", "")));
    }
  }

  @Test
  void statusIsEscapedInPidf() {
    PresenceInfo info = new PresenceInfo(true, Show.NONE, "R&D <lab> \"3\"", 0);
    PresenceInfo back = read(XmppToPidf.pidf("sip:b&o@h", info, "sip:b&o@h"));
    assertEquals(info, back);
  }

  /**
   * XMPP to PIDF and back gives what came in, for every show and the bounds of priority. The
   * deliberately lossy cases are listed below by name.
   */
  @Test
  void roundTripFromXmpp() {
    for (Show show : Show.values()) {
      for (int priority : new int[] {-128, -1, 0, 1, 42, 127}) {
        PresenceInfo info = new PresenceInfo(true, show, "note " + show, priority);
        assertEquals(
            info, read(XmppToPidf.pidf("sip:bob@herald.test", info, "sip:bob@herald.test")));
      }
    }
    PresenceInfo gone = PresenceInfo.unavailable("bye");
    assertEquals(gone, read(XmppToPidf.pidf("sip:bob@herald.test", gone, "sip:bob@herald.test")));
  }

  /** Lossy on purpose: several RPID activities share one show, and come back as its activity. */
  @ParameterizedTest
  @CsvSource({
    "<r:on-the-phone/>, <rpid:busy/>",
    "<r:meeting/>, <rpid:busy/>",
    "<r:vacation/>, <rpid:away/><rpid:other>extended away</rpid:other>",
    "<r:meal/>, <rpid:away/>",
    "<r:working/>, ''",
  })
  void lossyFromSip(String activities, String cameBack) {
    PresenceInfo info = read(pidf("open", activities, "", ""));
    assertEquals(cameBack, XmppToPidf.activities(info.show()));
  }

  /** Lossy on purpose: an unavailable presence's priority has no place in a closed tuple. */
  @Test
  void lossyUnavailablePriority() {
    PresenceInfo info = XmppToPidf.read(presence("unavailable", "", "", "9"));
    assertEquals(0, info.priority());
  }

  @Test
  void showValues() {
    assertEquals(
        List.of("", "chat", "away", "xa", "dnd"),
        Arrays.stream(Show.values()).map(s -> s.xmlValue().orElse("")).toList());
    for (Show s : Show.values()) {
      s.xmlValue().ifPresent(v -> assertEquals(s, Show.fromXml(v).orElseThrow()));
    }
  }
}
