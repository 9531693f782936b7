package dev.herald.presence.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.herald.config.AuthorizationPolicy;
import dev.herald.config.WatcherPolicy;
import dev.herald.directory.PresenceLists;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The precedence of RFC 3856 §6.6.2 authorization: own presence, block list, allow list, the
 * watcher's domain, the default. Each row is decided by exactly one rule; the rules below it would
 * say something else.
 */
class WatcherRulesTest {
  private static final String ALICE = "sip:alice@herald.test";

  /** Domain policies that disagree with every list below, so a list's effect shows. */
  private static final AuthorizationPolicy POLICY =
      new AuthorizationPolicy(
          WatcherPolicy.CONFIRM,
          Map.of(
              "herald.test", WatcherPolicy.ALLOW,
              "partner.example", WatcherPolicy.CONFIRM,
              "spam.example", WatcherPolicy.BLOCK));

  /** Alice's users-file lists. */
  private static final PresenceLists ALICES_LISTS =
      new PresenceLists(
          List.of("sip:bob@spam.example", "*@rival.example", "sip:eve@herald.test"),
          List.of("sip:mallory@herald.test", "*@partner.example", "sip:eve@herald.test"));

  private final WatcherRules rules =
      WatcherRules.of(POLICY, address -> address.equals(ALICE) ? ALICES_LISTS : PresenceLists.NONE);

  @ParameterizedTest(name = "{0} watching {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // own presence wins over everything, even her own block list naming her domain
        "sip:alice@herald.test     | sip:alice@herald.test | ALLOW",
        // block list: an address, a whole domain; blocked even where the domain is allowed
        "sip:mallory@herald.test   | sip:alice@herald.test | BLOCK",
        "sip:pat@partner.example   | sip:alice@herald.test | BLOCK",
        // on both lists (only the API or a hand-made record can do that): block wins
        "sip:eve@herald.test       | sip:alice@herald.test | BLOCK",
        // allow list: an address in a blocked domain, a whole domain the default would confirm
        "sip:bob@spam.example      | sip:alice@herald.test | ALLOW",
        "sip:ann@rival.example     | sip:alice@herald.test | ALLOW",
        // the watcher's domain, case-insensitively
        "sip:carol@herald.test     | sip:alice@herald.test | ALLOW",
        "sip:sam@spam.example      | sip:alice@herald.test | BLOCK",
        "sip:sam@SPAM.Example      | sip:alice@herald.test | BLOCK",
        // the default
        "sip:zed@elsewhere.example | sip:alice@herald.test | CONFIRM",
        // a userless or non-SIP watcher: its domain if it has one, else the default
        "sip:spam.example          | sip:alice@herald.test | BLOCK",
        "tel:+15551234             | sip:alice@herald.test | CONFIRM",
        // another presentity has no lists: only domains apply
        "sip:mallory@herald.test   | sip:bob@herald.test   | ALLOW",
        "sip:pat@partner.example   | sip:bob@herald.test   | CONFIRM",
        // a whole-domain entry does not match a subdomain
        "sip:ann@x.rival.example   | sip:alice@herald.test | CONFIRM",
      })
  void precedence(String watcher, String presentity, WatcherPolicy expected) {
    assertEquals(expected, rules.decide(presentity, watcher));
  }

  @Test
  void aDecisionToAllowBeatsTheDomainPolicy() {
    String pat = "sip:pat@elsewhere.example";
    assertEquals(WatcherPolicy.CONFIRM, rules.decide(ALICE, pat));

    rules.remember(ALICE, pat, true);

    assertEquals(WatcherPolicy.ALLOW, rules.decide(ALICE, pat));
    assertEquals(WatcherPolicy.CONFIRM, rules.decide("sip:bob@herald.test", pat), "only for Alice");
  }

  @Test
  void aDecisionToDenyBeatsTheAllowListAndTheDomainPolicy() {
    String bob = "sip:bob@spam.example";
    rules.remember(ALICE, bob, false);
    assertEquals(WatcherPolicy.BLOCK, rules.decide(ALICE, bob));

    String carol = "sip:carol@herald.test";
    rules.remember(ALICE, carol, false);
    assertEquals(WatcherPolicy.BLOCK, rules.decide(ALICE, carol));
  }

  @Test
  void aLaterDecisionReplacesAnEarlierOne() {
    String pat = "sip:pat@elsewhere.example";
    rules.remember(ALICE, pat, false);
    rules.remember(ALICE, pat, true);
    assertEquals(WatcherPolicy.ALLOW, rules.decide(ALICE, pat));
  }

  /** The users file's block list ranks above any allow, the API's included. */
  @Test
  void aDecisionToAllowDoesNotLiftTheBlockList() {
    String mallory = "sip:mallory@herald.test";
    rules.remember(ALICE, mallory, true);
    assertEquals(WatcherPolicy.BLOCK, rules.decide(ALICE, mallory));
  }

  @Test
  void noOneCanBlockAUserFromTheirOwnPresence() {
    rules.remember(ALICE, ALICE, false);
    assertEquals(WatcherPolicy.ALLOW, rules.decide(ALICE, ALICE));
  }

  @Test
  void allowAllAllowsStrangers() {
    assertEquals(
        WatcherPolicy.ALLOW, WatcherRules.allowAll().decide(ALICE, "sip:anyone@anywhere.example"));
  }

  @Test
  void addressesAreNormalisedAndCheckedForTheApi() {
    assertEquals("sip:Bob@herald.test", WatcherRules.address("SIP:Bob@Herald.TEST"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WatcherRules.address("bob"));
    assertEquals("not a sip:user@host address (no port, no parameters): bob", e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> WatcherRules.address("sip:bob@herald.test:5060"));
  }

  @ParameterizedTest(name = "{0} -> [{1}]")
  @CsvSource(
      delimiter = '|',
      value = {
        "sip:bob@Herald.Test       | herald.test",
        "sip:herald.test           | herald.test",
        "sip:bob@herald.test:5060  | herald.test",
        "sips:bob@herald.test;x=y  | herald.test",
        "tel:+15551234             | ''",
        "urn:service:sos           | ''",
        "nothing                   | ''",
      })
  void domainOfAWatcher(String watcher, String domain) {
    assertEquals(domain, WatcherRules.domain(watcher));
  }
}
