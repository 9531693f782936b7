package dev.herald.im.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.im.mapping.AddressMappingException.Reason;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/** SIP address to JID and back (RFC 7247 §4, §5), with XEP-0106 escaping, as tables. */
class AddressMappingTest {

  private static final AddressMapping MAPPING = mapping();

  private static AddressMapping mapping() {
    Map<String, String> domains = new LinkedHashMap<>();
    domains.put("herald.test", "xmpp.herald.test"); // the home domain
    domains.put("other.test", "chat.other.test");
    return AddressMapping.of("sip.herald.test", domains);
  }

  private static EntityBareJid jid(String text) throws Exception {
    return JidCreate.entityBareFrom(text);
  }

  // A SIP user as XMPP users see it, and back: the same table read both ways. Every row is
  // canonical, so the round trip gives the row back.
  @ParameterizedTest(name = "{0} <-> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          sip:alice@herald.test               | alice@sip.herald.test
          sip:carol@other.test                | carol\\40other.test@sip.herald.test
          sip:d'artagnan@herald.test          | d\\27artagnan@sip.herald.test
          sip:tom&jerry@herald.test           | tom\\26jerry@sip.herald.test
          sip:a%20b@herald.test               | a\\20b@sip.herald.test
          sip:a/b@herald.test                 | a\\2fb@sip.herald.test
          sip:%22q%22@herald.test             | \\22q\\22@sip.herald.test
          sip:%3Cfoo%3E@herald.test           | \\3cfoo\\3e@sip.herald.test
          sip:c%3A%5Cnet@herald.test          | c\\3a\\net@sip.herald.test
          sip:c%3A%5C5commas@herald.test      | c\\3a\\5c5commas@sip.herald.test
          sip:%5C20@herald.test               | \\5c20@sip.herald.test
          sip:+15551234567@herald.test        | +15551234567@sip.herald.test
          sip:j%C3%BCrgen@herald.test         | jürgen@sip.herald.test
          sip:o'hara%20jr@other.test          | o\\27hara\\20jr\\40other.test@sip.herald.test
          """)
  void sipUserToJidAndBack(String sip, String jid) throws Exception {
    assertEquals(jid(jid), MAPPING.sipUserToJid(sip));
    assertEquals(sip, MAPPING.jidToSipUser(jid(jid)));
  }

  // An XMPP user as SIP users see it, and back.
  @ParameterizedTest(name = "{0} <-> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          bob@xmpp.herald.test                   | sip:bob@herald.test
          dan@chat.other.test                    | sip:dan@other.test
          d\\27artagnan@xmpp.herald.test         | sip:d'artagnan@herald.test
          john\\40example.org@xmpp.herald.test   | sip:john%40example.org@herald.test
          a\\20b@xmpp.herald.test                | sip:a%20b@herald.test
          c\\3a\\net@xmpp.herald.test            | sip:c%3A%5Cnet@herald.test
          jürgen@xmpp.herald.test                | sip:j%C3%BCrgen@herald.test
          """)
  void xmppUserToSipAndBack(String jid, String sip) throws Exception {
    assertEquals(sip, MAPPING.xmppUserToSip(jid(jid)));
    assertEquals(jid(jid), MAPPING.sipToXmppUser(sip));
  }

  /**
   * Deliberately lossy, by name: a JID localpart is case-folded (nodeprep) while a SIP user part is
   * case-sensitive (RFC 3261 §19.1.4); a %-escape of a character that needs none comes back plain;
   * the host is case-insensitive.
   */
  @ParameterizedTest(name = "{0} -> {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          sip:Alice@herald.test     | alice@sip.herald.test    | sip:alice@herald.test
          sip:%61lice@herald.test   | alice@sip.herald.test    | sip:alice@herald.test
          sip:alice@HERALD.test     | alice@sip.herald.test    | sip:alice@herald.test
          """)
  void lossyRoundTrips(String sip, String jid, String back) throws Exception {
    assertEquals(jid(jid), MAPPING.sipUserToJid(sip));
    assertEquals(back, MAPPING.jidToSipUser(MAPPING.sipUserToJid(sip)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          sip:herald.test                | NO_USER_PART      | no user part
          tel:+15551234567               | MALFORMED         | not a sip: address
          sip:alice@herald.test:5060     | MALFORMED         | not a sip:user@host address of record
          sip:alice@elsewhere.test       | DOMAIN_NOT_MAPPED | elsewhere.test is not a SIP domain the gateway maps (herald.test, other.test)
          sip:alice@xmpp.herald.test     | DOMAIN_NOT_MAPPED | xmpp.herald.test is not a SIP domain
          sip:a%40b@herald.test          | BAD_CHARACTER     | a user part holding "@" has no JID
          sip:a%09b@herald.test          | BAD_CHARACTER     | control character (U+0009)
          sip:%20alice@herald.test       | BAD_CHARACTER     | begins or ends with a space
          sip:alice%20@herald.test       | BAD_CHARACTER     | begins or ends with a space
          sip:%FF%FE@herald.test         | BAD_CHARACTER     | not UTF-8 text
          """)
  void sipUserRefusals(String sip, Reason reason, String message) {
    AddressMappingException e =
        assertThrows(AddressMappingException.class, () -> MAPPING.sipUserToJid(sip));
    assertEquals(reason, e.reason(), e::getMessage);
    assertTrue(e.getMessage().startsWith(sip + ": "), e::getMessage);
    assertTrue(e.getMessage().contains(message), () -> e.getMessage() + " lacks: " + message);
  }

  @Test
  void aUserPartLongerThanALocalpartIsRefused() throws Exception {
    String sip = "sip:" + "a".repeat(1024) + "@herald.test";

    AddressMappingException e =
        assertThrows(AddressMappingException.class, () -> MAPPING.sipUserToJid(sip));

    assertEquals(Reason.TOO_LONG, e.reason());
    assertTrue(e.getMessage().contains("1024 bytes long, and RFC 7622 allows at most 1023"));
    // Escaping counts: 400 spaces are 400 bytes in SIP but 1200 bytes once escaped as \20.
    String spaces = "sip:a" + "%20".repeat(400) + "b@herald.test";
    assertEquals(
        Reason.TOO_LONG,
        assertThrows(AddressMappingException.class, () -> MAPPING.sipToXmppUser(spaces)).reason());
    assertEquals(
        1023,
        MAPPING.sipUserToJid("sip:" + "a".repeat(1023) + "@herald.test").getLocalpart().length());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          alice@xmpp.herald.test                 | DOMAIN_NOT_MAPPED | SIP users appear in the component domain sip.herald.test
          carol\\40elsewhere.test@sip.herald.test | DOMAIN_NOT_MAPPED | elsewhere.test is not a SIP domain the gateway maps
          alice\\40herald.test@sip.herald.test    | DOMAIN_NOT_MAPPED | users of the home domain herald.test are written without it (alice@sip.herald.test)
          """)
  void jidToSipUserRefusals(String jid, Reason reason, String message) throws Exception {
    EntityBareJid to = jid(jid);
    AddressMappingException e =
        assertThrows(AddressMappingException.class, () -> MAPPING.jidToSipUser(to));
    assertEquals(reason, e.reason(), e::getMessage);
    assertTrue(e.getMessage().contains(message), () -> e.getMessage() + " lacks: " + message);
  }

  @Test
  void anXmppUserOfAnUnmappedDomainIsRefused() throws Exception {
    EntityBareJid stranger = jid("eve@jabber.example");

    AddressMappingException e =
        assertThrows(AddressMappingException.class, () -> MAPPING.xmppUserToSip(stranger));

    assertEquals(Reason.DOMAIN_NOT_MAPPED, e.reason());
    assertEquals(
        "eve@jabber.example: jabber.example is not an XMPP domain the gateway maps"
            + " (xmpp.herald.test, chat.other.test)",
        e.getMessage());
    // The component domain is where SIP users are, not XMPP users.
    assertThrows(
        AddressMappingException.class, () -> MAPPING.xmppUserToSip(jid("alice@sip.herald.test")));
  }

  @Test
  void theMappingMustBeOneToOneAndLeaveTheComponentDomainOut() {
    assertThrows(IllegalArgumentException.class, () -> AddressMapping.of("c.test", Map.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> AddressMapping.of("c.test", Map.of("a.test", "x.test", "b.test", "x.test")));
    assertThrows(
        IllegalArgumentException.class,
        () -> AddressMapping.of("x.test", Map.of("a.test", "x.test")));
  }
}
