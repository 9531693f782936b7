package dev.herald.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.presence.dialog.Dialog;
import dev.herald.presence.dialog.DialogInfo;
import dev.herald.presence.dialog.DialogState;
import dev.herald.presence.pidf.PidfDocument;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Composition of the dialog package (RFC 4235): dialogs of every publication merged by id,
 * terminated final, and the dialog derived from a trunk's telephony presence.
 */
class DialogPackageTest {
  private static final String ALICE = "sip:alice@herald.test";
  private static final PresencePackage PRESENCE = new PresencePackage(65_536);

  private final FakeTicker ticker = new FakeTicker();
  private final DialogPackage pkg = new DialogPackage(65_536, Duration.ofHours(2), ticker);

  private static DialogInfo info(Dialog... dialogs) {
    return new DialogInfo(ALICE, true, List.of(dialogs));
  }

  private static Dialog d(String id, DialogState state) {
    return Dialog.of(id, state);
  }

  private String compose(Object... documents) {
    return pkg.compose(ALICE, new ArrayList<>(List.of(documents)), false);
  }

  /** The dialog id → state pairs of a composed document, in order. */
  private static List<String> dialogs(String document) {
    List<String> out = new ArrayList<>();
    Matcher m =
        Pattern.compile("<dialog id=\"([^\"]+)\"[^>]*>\\s*<state[^>]*>([a-z]+)</state>")
            .matcher(document);
    while (m.find()) {
      out.add(m.group(1) + "=" + m.group(2));
    }
    return out;
  }

  private static TelephonyDocument phone(String personChildren) {
    String xml =
            """
        <presence xmlns="urn:ietf:params:xml:ns:pidf"
            xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
            xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid"
            xmlns:ce="urn:cisco:params:xml:ns:pidf:rpid" entity="sip:alice@herald.test">
          <tuple id="cucm"><status><basic>open</basic></status></tuple>
          <dm:person id="p">%s</dm:person>
        </presence>
        """
            .formatted(personChildren);
    try {
      return new TelephonyDocument(
          (PidfDocument) PRESENCE.parse(xml.getBytes(StandardCharsets.UTF_8)));
    } catch (BadDocumentException e) {
      throw new AssertionError(e);
    }
  }

  private static final String RINGING = "<ce:alerting/>";
  private static final String ON_THE_PHONE =
      "<rpid:activities><rpid:on-the-phone/></rpid:activities>";
  private static final String AVAILABLE = "<ce:available/>";

  @Test
  void fullStateWithThePresentityAsEntityAndVersionZero() {
    String doc = compose(info(d("a", DialogState.EARLY)));
    assertTrue(
        doc.contains(
            "<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" version=\"0\""
                + " state=\"full\" entity=\"sip:alice@herald.test\">"),
        doc);
  }

  @Test
  void dialogsOfEveryPublicationAreMergedByIdTheNewerWinning() {
    String doc =
        compose(
            info(d("a", DialogState.EARLY), d("b", DialogState.CONFIRMED)),
            info(d("a", DialogState.CONFIRMED), d("c", DialogState.TRYING)));
    assertEquals(List.of("a=confirmed", "b=confirmed", "c=trying"), dialogs(doc));
  }

  @Test
  void aTerminatedDialogInAnOlderPublicationBeatsANewerOnesEarly() {
    String doc = compose(info(d("a", DialogState.TERMINATED)), info(d("a", DialogState.EARLY)));
    assertEquals(List.of("a=terminated"), dialogs(doc));
  }

  @Test
  void terminatedIsFinalAgainstALaterStalePublication() {
    compose(info(d("a", DialogState.CONFIRMED)));
    compose(info(d("a", DialogState.TERMINATED)));
    String stale = compose(info(d("a", DialogState.CONFIRMED), d("b", DialogState.EARLY)));
    assertEquals(List.of("a=terminated", "b=early"), dialogs(stale));
  }

  @Test
  void terminatedIsRememberedWhenPublishedWithNobodyWatching() {
    pkg.published(ALICE, info(d("a", DialogState.TERMINATED)));
    assertEquals(List.of("a=terminated"), dialogs(compose(info(d("a", DialogState.EARLY)))));
    // another presentity's dialog of the same id is its own
    assertEquals(
        List.of("a=early"),
        dialogs(
            pkg.compose(
                "sip:bob@herald.test",
                List.of(
                    new DialogInfo(
                        "sip:bob@herald.test", true, List.of(d("a", DialogState.EARLY)))),
                false)));
  }

  @Test
  void theMemoryOfTerminatedExpires() {
    pkg.published(ALICE, info(d("a", DialogState.TERMINATED)));
    ticker.advance(Duration.ofHours(2).plusSeconds(1));
    assertEquals(List.of("a=early"), dialogs(compose(info(d("a", DialogState.EARLY)))));
  }

  @Test
  void derivedFromPhoneStateRingingEarlyThenConfirmedThenTerminated() {
    assertEquals(List.of(), dialogs(compose(phone(AVAILABLE))), "no call yet: no dialog");
    List<String> ringing = dialogs(compose(phone(RINGING)));
    assertEquals(1, ringing.size());
    String id = ringing.get(0).split("=")[0];
    assertEquals(List.of(id + "=early"), ringing);
    assertEquals(List.of(id + "=confirmed"), dialogs(compose(phone(ON_THE_PHONE))));
    assertEquals(List.of(id + "=terminated"), dialogs(compose(phone(AVAILABLE))));
    // composing again changes nothing
    assertEquals(List.of(id + "=terminated"), dialogs(compose(phone(AVAILABLE))));

    List<String> next = dialogs(compose(phone(ON_THE_PHONE)));
    assertEquals(1, next.size());
    assertNotEquals(id, next.get(0).split("=")[0], "a new call is a new dialog");
    assertTrue(next.get(0).endsWith("=confirmed"), next.toString());
  }

  @Test
  void derivedDialogEndsWhenTheTelephonyPresenceGoes() {
    String id = dialogs(compose(phone(ON_THE_PHONE))).get(0).split("=")[0];
    assertEquals(List.of(id + "=terminated"), dialogs(compose()));
  }

  @Test
  void aRingingSecondCallKeepsTheLampBusy() {
    String id = dialogs(compose(phone(ON_THE_PHONE))).get(0).split("=")[0];
    assertEquals(List.of(id + "=confirmed"), dialogs(compose(phone(RINGING))));
  }

  @Test
  void publishedDialogInfoWinsOverTheDerivedOne() {
    String doc = compose(info(d("own", DialogState.EARLY)), phone(ON_THE_PHONE));
    assertEquals(List.of("own=early"), dialogs(doc));
  }

  @Test
  void theUsersOwnPresenceDerivesNothing() throws Exception {
    Object own = phone(ON_THE_PHONE).pidf();
    assertEquals(List.of(), dialogs(compose(own)));
  }

  @Test
  void versionIsSetPerNotify() {
    String doc = compose(info(d("a", DialogState.EARLY)));
    String v7 = pkg.withVersion(doc, 7);
    assertTrue(v7.contains(" version=\"7\" state=\"full\""), v7);
    assertEquals(doc.replace("version=\"0\"", "version=\"7\""), v7);
    assertThrows(IllegalArgumentException.class, () -> pkg.withVersion("<x/>", 1));
  }

  @Test
  void politeBlockShowsNoDialog() {
    String doc = pkg.politeBlock(ALICE);
    assertEquals(List.of(), dialogs(doc));
    assertFalse(doc.contains("<dialog "), doc);
    assertTrue(doc.contains("entity=\"sip:alice@herald.test\""), doc);
  }

  @Test
  void parseRefusalsBecomeBadDocuments() {
    BadDocumentException e =
        assertThrows(
            BadDocumentException.class,
            () -> pkg.parse("<presence/>".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().startsWith("Malformed dialog-info"), e.getMessage());
  }
}
