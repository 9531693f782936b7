package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.fixtures.sipp.SippResult;
import dev.herald.fixtures.sipp.SippTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Digest authentication (RFC 3261 §22, RFC 7616) and who may do what, driven with SIPp (MD5),
 * against a Herald that trusts no source.
 */
class AuthIT {
  private RunningHerald herald;

  @BeforeEach
  void start() throws Exception {
    herald = RunningHerald.startUntrusted();
  }

  @AfterEach
  void stop() {
    herald.close();
  }

  /** Challenge, retry with credentials, 200; unregister on the same nonce with the next nc. */
  @Test
  void registerIsChallengedThenAccepted() {
    herald
        .sipp("register-auth", SippTransport.UDP)
        .service("alice")
        .arg("-au", "alice", "-ap", "alice-pw", "-auth_uri", "herald.test")
        .run()
        .assertPassed();
    assertTrue(herald.herald().registrar().lookup("sip:alice@herald.test").isEmpty());
  }

  /** A wrong password is challenged again, and nothing is registered. */
  @Test
  void wrongPasswordIsChallengedAgain() {
    herald
        .sipp("register-wrong-password", SippTransport.UDP)
        .service("bob")
        .arg("-au", "bob", "-ap", "not-bobs", "-auth_uri", "herald.test")
        .run()
        .assertPassed();
    assertTrue(herald.herald().registrar().lookup("sip:bob@herald.test").isEmpty());
  }

  /** A user not enabled for IM and presence has no credentials: challenged like a stranger. */
  @Test
  void disabledUserCannotRegister() {
    herald
        .sipp("register-wrong-password", SippTransport.UDP)
        .service("zed")
        .arg("-au", "zed", "-ap", "zed-pw", "-auth_uri", "herald.test")
        .run()
        .assertPassed();
    assertTrue(herald.herald().registrar().lookup("sip:zed@herald.test").isEmpty());
  }

  /** bob, authenticated, may not publish alice's presence: 403. */
  @Test
  void publishingSomeoneElsesPresenceIsForbidden() {
    herald
        .sipp("publish-forbidden", SippTransport.UDP)
        .service("alice")
        .arg("-au", "bob", "-ap", "bob-pw", "-auth_uri", "alice@herald.test")
        .run()
        .assertPassed();
    assertEquals(0, herald.stats().publications());
  }

  /**
   * bob, authenticated, may not send a MESSAGE as alice: 403 saying why. (Asserted from SIPp's
   * counts and trace: im-sender-auth's comparison with its expect key does not fail a call.)
   */
  @Test
  void aMessageFromSomeoneElsesAddressIsForbidden() {
    SippResult sent =
        herald
            .sipp("im-sender-auth", SippTransport.UDP)
            .service("carol")
            .key("from", "alice")
            .key("expect", "403")
            .arg("-au", "bob", "-ap", "bob-pw", "-auth_uri", "carol@herald.test")
            .run()
            .assertPassed();
    assertEquals(1, sent.received("401"), sent.describe());
    assertEquals(1, sent.received("403"), sent.describe());
    assertTrue(
        sent.messages()
            .contains(
                "SIP/2.0 403 Forbidden (the From sip:alice@herald.test is not an address of the"
                    + " authenticated user bob)"),
        sent.describe());
  }

  /**
   * bob, authenticated, sending as himself passes the check and is routed: carol is a user without
   * a registered device, 480 (the answer a 403 would have hidden).
   */
  @Test
  void aMessageFromTheAuthenticatedUsersOwnAddressIsRouted() {
    SippResult sent =
        herald
            .sipp("im-sender-auth", SippTransport.UDP)
            .service("carol")
            .key("from", "bob")
            .key("expect", "480")
            .arg("-au", "bob", "-ap", "bob-pw", "-auth_uri", "carol@herald.test")
            .run()
            .assertPassed();
    assertEquals(1, sent.received("401"), sent.describe());
    assertEquals(1, sent.received("480"), sent.describe());
    assertEquals(0, sent.received("403"), sent.describe());
  }
}
