package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.fixtures.sipp.LoopbackPorts;
import dev.herald.fixtures.sipp.RunningSipp;
import dev.herald.fixtures.sipp.Sipp;
import dev.herald.fixtures.sipp.SippResult;
import dev.herald.fixtures.sipp.SippTransport;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RFC 3428 pager-mode MESSAGE between SIP users through Herald, a B2BUA: a registered user's device
 * gets the message as Herald's own request and the sender gets its answer; an unknown user is 404,
 * a known one without a device 480, a body type Herald does not relay 415, an over-size one 513. No
 * xmpp section here: no address is an XMPP user.
 */
class SipMessageIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private RunningHerald herald;

  @BeforeEach
  void start() throws Exception {
    herald = RunningHerald.start();
  }

  @AfterEach
  void stop() {
    herald.close();
  }

  /** Starts bob's device (a UAS answering {@code status}: 200 or 486) and registers it. */
  private RunningSipp bobsDevice(SippTransport transport, String status) {
    int devicePort = LoopbackPorts.freeUdpAndTcpPort();
    RunningSipp device =
        Sipp.scenario("im-device")
            .localPort(devicePort)
            .transport(transport)
            .key("status", status)
            .timeout(WAIT)
            .start();
    herald
        .sipp("register-contact", transport)
        .service("bob")
        .key("contact_port", String.valueOf(devicePort))
        .run()
        .assertPassed();
    return device;
  }

  @ParameterizedTest
  @EnumSource(SippTransport.class)
  void aMessageReachesTheRegisteredDeviceAndItsAnswerTheSender(SippTransport transport) {
    try (RunningSipp device = bobsDevice(transport, "200")) {
      SippResult sent =
          herald.sipp("im-sender", transport).service("bob").key("expect", "200").run();

      sent.assertPassed();
      SippResult received = device.awaitExit(WAIT).assertPassed();
      assertEquals(1, received.received("MESSAGE"), received.describe());
    }
  }

  /** The device's error is the sender's (RFC 3261 §16.7: the only branch's final response). */
  @Test
  void theDevicesErrorReachesTheSender() {
    try (RunningSipp device = bobsDevice(SippTransport.UDP, "486")) {
      herald
          .sipp("im-sender", SippTransport.UDP)
          .service("bob")
          .key("expect", "486")
          .run()
          .assertPassed();
      device.awaitExit(WAIT).assertPassed();
    }
  }

  @Test
  void anUnknownUserIsNotFound() {
    herald
        .sipp("im-sender", SippTransport.UDP)
        .service("nobody")
        .key("expect", "404")
        .run()
        .assertPassed();
  }

  /** carol is a user of the directory with no registered device; Herald stores nothing. */
  @Test
  void aKnownUserWithoutADeviceIsTemporarilyUnavailable() {
    herald
        .sipp("im-sender", SippTransport.UDP)
        .service("carol")
        .key("expect", "480")
        .run()
        .assertPassed();
  }

  @Test
  void aBodyTypeHeraldDoesNotRelayIsUnsupported() {
    herald
        .sipp("im-sender", SippTransport.UDP)
        .service("bob")
        .key("content_type", "application/im-iscomposing+xml")
        .key("expect", "415")
        .run()
        .assertPassed();
  }

  /** RFC 3428 §8: Herald relays at most 1300 bytes of body (over TCP, so the request arrives). */
  @Test
  void anOverSizeBodyIsRefused() {
    herald
        .sipp("im-sender", SippTransport.TCP)
        .service("bob")
        .key("text", "x".repeat(1301))
        .key("expect", "513")
        .run()
        .assertPassed();
  }
}
