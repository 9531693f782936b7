package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.fixtures.sipp.SippResult;
import dev.herald.fixtures.sipp.SippTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RFC 3261 §10: the registrar, from a trusted source (no credentials needed). */
class RegisterIT {
  private RunningHerald herald;

  @BeforeEach
  void start() throws Exception {
    herald = RunningHerald.start();
  }

  @AfterEach
  void stop() {
    herald.close();
  }

  /**
   * Two devices register (q-values), refresh, one unregisters, 423 under the minimum, a query,
   * {@code Contact: *} removes all, {@code *} without Expires 0 is 400.
   */
  @ParameterizedTest
  @EnumSource(SippTransport.class)
  void registerRefreshUnregister(SippTransport transport) {
    SippResult r = herald.sipp("register", transport).service("alice").run().assertPassed();
    assertEquals(1, r.received("423"), r.describe());
    assertTrue(herald.herald().registrar().lookup("sip:alice@herald.test").isEmpty());
  }

  /**
   * Fuzzing finding: a Contact whose URI scheme breaks RFC 3261's grammar ({@code
   * <sidb8lice@127.0.0.1:34486>}, read by JAIN-SIP as scheme "sidb8lice@127.0.0.1") was stored, and
   * every later REGISTER of that user failed when its 200 listed the bindings (ERROR in the lane,
   * no answer). Now the REGISTER gets 400 naming the scheme, and the user's registrations keep
   * working.
   */
  @Test
  void aContactWithAnInvalidSchemeIsRefusedAndTheUserKeepsRegistering() throws Exception {
    String register =
        "REGISTER sip:herald.test SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-bad-scheme-1\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:alice@herald.test>;tag=bad1\r\n"
            + "To: <sip:alice@herald.test>\r\n"
            + "Call-ID: bad-scheme-1@127.0.0.1\r\n"
            + "CSeq: 1 REGISTER\r\n"
            + "Contact: <sidb8lice@127.0.0.1:34486;trapnsort=UDP>\r\n"
            + "Expires: 600\r\n"
            + "Content-Length: 0\r\n\r\n";
    try (RawSipClient client = RawSipClient.open(herald.port())) {
      List<String> answers =
          client.exchange(register.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2));
      assertEquals(1, answers.size(), answers.toString());
      String status = RawSipClient.startLine(answers.get(0));
      assertTrue(
          status.startsWith("SIP/2.0 400 ") && status.contains("Contact URI scheme"), status);
    }
    assertTrue(herald.herald().registrar().lookup("sip:alice@herald.test").isEmpty());
    SippResult r = herald.sipp("register", SippTransport.UDP).service("alice").run().assertPassed();
    assertEquals(1, r.received("423"), r.describe());
  }
}
