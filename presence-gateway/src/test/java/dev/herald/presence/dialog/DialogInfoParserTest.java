package dev.herald.presence.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 4235 §4.1 documents in, the parser's refusals (each with its reason) out. */
class DialogInfoParserTest {
  private static final DialogInfoParser PARSER = new DialogInfoParser(4096, 16);

  private static final String RFC4235_EXAMPLE =
      """
      <?xml version="1.0"?>
      <dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info"
                   version="1" state="full" entity="sip:alice@example.com">
        <dialog id="as7d900as8" call-id="a84b4c76e66710" local-tag="1928301774"
                direction="initiator">
          <state event="rejected" code="486">early</state>
          <duration>12</duration>
          <local>
            <identity display="Alice">sip:alice@example.com</identity>
            <target uri="sip:alice@pc33.example.com"/>
          </local>
          <remote>
            <identity>sip:bob@example.org</identity>
          </remote>
        </dialog>
        <dialog id="second"><state>confirmed</state></dialog>
      </dialog-info>
      """;

  private static DialogInfo parse(String xml) throws DialogInfoException {
    return PARSER.parse(xml.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTheRfcExample() throws Exception {
    DialogInfo info = parse(RFC4235_EXAMPLE);
    assertEquals("sip:alice@example.com", info.entity());
    assertTrue(info.full());
    assertEquals(2, info.dialogs().size());
    Dialog d = info.dialogs().get(0);
    assertEquals("as7d900as8", d.id());
    assertEquals("a84b4c76e66710", d.callId());
    assertEquals("1928301774", d.localTag());
    assertNull(d.remoteTag());
    assertEquals("initiator", d.direction());
    assertEquals(DialogState.EARLY, d.state());
    assertEquals("rejected", d.event());
    assertEquals("486", d.code());
    assertEquals(
        new Dialog.Participant("sip:alice@example.com", "Alice", "sip:alice@pc33.example.com"),
        d.local());
    assertEquals(new Dialog.Participant("sip:bob@example.org", null, null), d.remote());
    assertEquals(DialogState.CONFIRMED, info.dialogs().get(1).state());
  }

  @Test
  void partialStateAndNoDialogsAreAccepted() throws Exception {
    DialogInfo info =
        parse(
            "<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" version=\"7\""
                + " state=\"partial\" entity=\"sip:a@b\"/>");
    assertFalse(info.full());
    assertTrue(info.dialogs().isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not XML| <dialog-info| not well-formed XML",
        "other root| <presence xmlns='urn:ietf:params:xml:ns:pidf' entity='sip:a@b'/>| root element",
        "no namespace| <dialog-info version='0' state='full' entity='sip:a@b'/>| root element",
        "no entity| <dialog-info xmlns='urn:ietf:params:xml:ns:dialog-info' version='0'"
            + " state='full'/>| without entity",
        "bad version| <dialog-info xmlns='urn:ietf:params:xml:ns:dialog-info' version='-1'"
            + " state='full' entity='sip:a@b'/>| version must be",
        "bad state| <dialog-info xmlns='urn:ietf:params:xml:ns:dialog-info' version='0'"
            + " state='half' entity='sip:a@b'/>| state must be full or partial",
        "dialog without id| <dialog-info xmlns='urn:ietf:params:xml:ns:dialog-info' version='0'"
            + " state='full' entity='sip:a@b'><dialog><state>early</state></dialog>"
            + "</dialog-info>| dialog without id",
        "duplicate id| <dialog-info xmlns='urn:ietf:params:xml:ns:dialog-info' version='0'"
            + " state='full' entity='sip:a@b'><dialog id='d'><state>early</state></dialog>"
            + "<dialog id='d'><state>early</state></dialog></dialog-info>| duplicate dialog id",
        "dialog without state| <dialog-info xmlns='urn:ietf:params:xml:ns:dialog-info'"
            + " version='0' state='full' entity='sip:a@b'><dialog id='d'/></dialog-info>| without"
            + " state",
        "unknown state| <dialog-info xmlns='urn:ietf:params:xml:ns:dialog-info' version='0'"
            + " state='full' entity='sip:a@b'><dialog id='d'><state>ringing</state></dialog>"
            + "</dialog-info>| unknown dialog state ringing",
        "doctype| <!DOCTYPE d [<!ENTITY x 'y'>]><dialog-info"
            + " xmlns='urn:ietf:params:xml:ns:dialog-info' version='0' state='full'"
            + " entity='&x;'/>| DOCTYPE not allowed",
        "external entity| <!DOCTYPE d SYSTEM 'file:///etc/passwd'><dialog-info/>| DOCTYPE not"
            + " allowed",
        "latin-1| <?xml version='1.0' encoding='ISO-8859-1'?><dialog-info/>| encoding must be"
            + " UTF-8",
      })
  void refuses(String what, String xml, String reason) {
    DialogInfoException e = assertThrows(DialogInfoException.class, () -> parse(xml));
    assertTrue(e.getMessage().contains(reason), what + ": " + e.getMessage());
  }

  @Test
  void refusesATooLargeBodyBeforeParsing() {
    byte[] body = new byte[4097];
    DialogInfoException e = assertThrows(DialogInfoException.class, () -> PARSER.parse(body));
    assertTrue(e.getMessage().contains("too large"), e.getMessage());
  }

  @Test
  void refusesNestingDeeperThanTheLimit() {
    String deep = "<x>".repeat(20) + "</x>".repeat(20);
    String xml =
        "<dialog-info xmlns='urn:ietf:params:xml:ns:dialog-info' version='0' state='full'"
            + " entity='sip:a@b'>"
            + deep
            + "</dialog-info>";
    DialogInfoException e = assertThrows(DialogInfoException.class, () -> parse(xml));
    assertTrue(e.getMessage().contains("nested deeper than 16"), e.getMessage());
  }

  @Test
  void refusesBytesThatAreNotUtf8() {
    byte[] body = {'<', 'd', (byte) 0xff, '>'};
    DialogInfoException e = assertThrows(DialogInfoException.class, () -> PARSER.parse(body));
    assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
  }

  @Test
  void composedDocumentsParseBackWithTheirVersion() throws Exception {
    Dialog d =
        new Dialog(
            "d<1>",
            "c",
            "l",
            "r",
            "recipient",
            DialogState.CONFIRMED,
            null,
            null,
            null,
            new Dialog.Participant("sip:bob@x", "Bob & Co", null));
    String doc =
        DialogInfoComposer.withVersion(
            DialogInfoComposer.compose("sip:a@b", java.util.List.of(d)), 42);
    assertTrue(doc.contains("version=\"42\" state=\"full\" entity=\"sip:a@b\""), doc);
    DialogInfo back = parse(doc);
    assertEquals(java.util.List.of(d), back.dialogs());
  }
}
