package dev.herald.presence.pidf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Telephony presence composed with the user's own (issue 4): do not disturb beats on the phone,
 * which beats available, as standard RPID activities for every watcher, plus Cisco's person element
 * for Cisco clients.
 */
class TelephonyComposerTest {
  private static final String ALICE = "sip:alice@herald.test";
  private static final PidfParser PARSER = new PidfParser(65_536, 32);

  private static PidfDocument parse(String xml) throws PidfException {
    return PARSER.parse(xml.getBytes(StandardCharsets.UTF_8));
  }

  /** A CUCM-shaped PUBLISH: phone state under dm:person, as activities or a Cisco element. */
  private static PidfDocument phone(String personChildren) throws PidfException {
    return parse(
            """
        <presence xmlns="urn:ietf:params:xml:ns:pidf"
            xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
            xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid"
            xmlns:ce="urn:cisco:params:xml:ns:pidf:rpid" entity="sip:1001@cucm.example.com">
          <tuple id="cucm-1001"><status><basic>open</basic></status></tuple>
          <dm:person id="p1001">%s</dm:person>
        </presence>
        """
            .formatted(personChildren));
  }

  /** The user's own client: open, with a note and optionally activities. */
  private static PidfDocument own(String activities) throws PidfException {
    return parse(
            """
        <presence xmlns="urn:ietf:params:xml:ns:pidf"
            xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
            xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:alice@herald.test">
          <tuple id="jabber"><status><basic>open</basic></status></tuple>
          <dm:person id="alice">%s<dm:note>at my desk</dm:note></dm:person>
        </presence>
        """
            .formatted(activities));
  }

  private static final class Docs {
    final List<PidfDocument> all = new ArrayList<>();
    final Set<PidfDocument> telephony = Collections.newSetFromMap(new IdentityHashMap<>());

    Docs own(PidfDocument d) {
      all.add(d);
      return this;
    }

    Docs phone(PidfDocument d) {
      all.add(d);
      telephony.add(d);
      return this;
    }

    PidfDocument compose(boolean cisco) throws PidfException {
      return parse(TelephonyComposer.compose(ALICE, all, telephony::contains, cisco));
    }
  }

  /** The local names of the composed person's activities, in order. */
  private static List<String> activities(PidfDocument composed) throws PidfException {
    List<String> names = new ArrayList<>();
    for (PidfElement child : composed.persons().get(0).person.children) {
      if (child.namespaceUri().equals(PidfDocument.RPID_NS)
          && child.localName().equals("activities")) {
        // The activities are empty elements: read their names back from the fragment.
        for (String part : child.toXml().split("<")) {
          if (part.startsWith("rpid:") && !part.startsWith("rpid:activities")) {
            names.add(part.substring(5, part.indexOf('/')));
          }
        }
      }
    }
    return names;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'<rpid:activities><rpid:on-the-phone/></rpid:activities>', ON_THE_PHONE",
    "'<rpid:activities><rpid:busy/></rpid:activities>', ON_THE_PHONE",
    "'<rpid:activities><ce:dnd/></rpid:activities>', DND",
    "'<ce:dnd/>', DND",
    "'<ce:alerting/>', ALERTING",
    "'<rpid:activities><ce:available/></rpid:activities>', AVAILABLE",
    "'<rpid:activities><rpid:meeting/></rpid:activities>', NONE",
    "'<rpid:activities><rpid:on-the-phone/><ce:dnd/></rpid:activities>', DND",
    "'<ce:alerting/><rpid:activities><rpid:on-the-phone/></rpid:activities>', ON_THE_PHONE",
  })
  void phoneStateIsReadFromThePerson(String children, PhoneState expected) throws Exception {
    assertEquals(expected, phone(children).phoneState());
  }

  /** The precedence table: each row is the states of two telephony publications and the result. */
  @ParameterizedTest(name = "{0} + {1} -> {2}")
  @CsvSource({
    "<ce:dnd/>, <rpid:activities><rpid:on-the-phone/></rpid:activities>, busy",
    "<rpid:activities><rpid:on-the-phone/></rpid:activities>, <ce:dnd/>, busy",
    "<rpid:activities><rpid:on-the-phone/></rpid:activities>, <ce:available/>, on-the-phone",
    "<ce:available/>, <rpid:activities><rpid:busy/></rpid:activities>, on-the-phone",
    "<ce:alerting/>, <rpid:activities><rpid:on-the-phone/></rpid:activities>, on-the-phone",
    "<ce:available/>, <ce:alerting/>, ''",
    "<ce:available/>, <ce:available/>, ''",
  })
  void dndBeatsOnThePhoneBeatsAvailable(String first, String second, String activity)
      throws Exception {
    PidfDocument composed = new Docs().phone(phone(first)).phone(phone(second)).compose(false);

    assertEquals(activity.isEmpty() ? List.of() : List.of(activity), activities(composed));
  }

  @Test
  void onThePhoneReplacesTheUsersOwnActivitiesThenTheyComeBack() throws Exception {
    PidfDocument meeting = own("<rpid:activities><rpid:meeting/></rpid:activities>");

    PidfDocument busy =
        new Docs()
            .own(meeting)
            .phone(phone("<rpid:activities><rpid:on-the-phone/></rpid:activities>"))
            .compose(false);
    PidfDocument idle =
        new Docs()
            .own(meeting)
            .phone(phone("<rpid:activities><ce:available/></rpid:activities>"))
            .compose(false);

    assertEquals(List.of("on-the-phone"), activities(busy));
    assertEquals(List.of("meeting"), activities(idle));
    // Both keep the user's tuple and the trunk's, and the user's note.
    assertEquals(2, busy.tuples().size());
    assertTrue(busy.persons().get(0).toXml().contains("at my desk"));
  }

  @Test
  void theUsersOwnDndBeatsTheTrunksOnThePhone() throws Exception {
    PidfDocument composed =
        new Docs()
            .own(
                own(
                    "<rpid:activities><ce:dnd xmlns:ce=\"urn:cisco:params:xml:ns:pidf:rpid\"/>"
                        + "</rpid:activities>"))
            .phone(phone("<rpid:activities><rpid:on-the-phone/></rpid:activities>"))
            .compose(false);

    assertEquals(List.of("busy"), activities(composed));
  }

  @Test
  void theTrunksCiscoElementsAreNotCarriedThrough() throws Exception {
    String composed =
        TelephonyComposer.compose(ALICE, List.of(phone("<ce:alerting/>")), d -> true, false);

    assertFalse(composed.contains("alerting"), composed);
  }

  @Test
  void withoutTelephonyNorDndTheDocumentIsTheUsualComposition() throws Exception {
    PidfDocument meeting = own("<rpid:activities><rpid:meeting/></rpid:activities>");

    assertEquals(
        PidfComposer.compose(ALICE, List.of(meeting)),
        TelephonyComposer.compose(ALICE, List.of(meeting), d -> false, false));
  }

  @Test
  void ciscoClientsAlsoGetPhoneStatusAndImStatus() throws Exception {
    String composed =
        TelephonyComposer.compose(
            ALICE,
            List.of(own(""), phone("<rpid:activities><rpid:on-the-phone/></rpid:activities>")),
            d -> d.entity().startsWith("sip:1001"),
            true);

    assertTrue(
        composed.contains(
            "<ce:person><ce:phone-status>on-the-phone</ce:phone-status>"
                + "<ce:im-status>available</ce:im-status></ce:person>"),
        composed);
  }

  @Test
  void ciscoStatusesWithoutPhoneAndWithoutOpenTuple() throws Exception {
    PidfDocument closed =
        parse(
            """
            <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:alice@herald.test">
              <tuple id="t"><status><basic>closed</basic></status></tuple>
            </presence>
            """);

    String composed = TelephonyComposer.compose(ALICE, List.of(closed), d -> false, true);

    assertTrue(
        composed.contains(
            "<ce:phone-status>unknown</ce:phone-status><ce:im-status>unavailable</ce:im-status>"),
        composed);
    assertFalse(composed.contains("activities"), composed);
  }

  @Test
  void nothingPublishedIsClosed() {
    assertEquals(
        PidfComposer.closed(ALICE), TelephonyComposer.compose(ALICE, List.of(), d -> true, true));
  }
}
