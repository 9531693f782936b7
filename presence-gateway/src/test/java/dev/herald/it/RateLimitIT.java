package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.fixtures.sipp.SippResult;
import dev.herald.fixtures.sipp.SippTransport;
import java.util.ArrayList;
import java.util.List;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;

/**
 * The per-source rate limit (sip.rate-limit): a source over it gets 503 with Retry-After, and a
 * trusted peer is never counted.
 */
class RateLimitIT {
  private static final String LIMIT = "sip: {rate-limit: {per-second: 1, burst: 3}}";

  @Test
  void anUntrustedSourceOverItsLimitGets503() throws Exception {
    try (RunningHerald herald = RunningHerald.startUntrustedWith(LIMIT);
        SipUdpClient client = SipUdpClient.open(herald.port())) {
      List<Response> answers = sendOptions(client, 5);

      assertEquals(List.of(200, 200, 200, 503, 503), statuses(answers));
      Response refused = answers.get(3);
      assertTrue(
          refused.getReasonPhrase().contains("more than 1 requests/s from 127.0.0.1"),
          refused.getReasonPhrase());
      assertEquals("1", refused.getHeader("Retry-After").toString().split(":")[1].trim());
    }
  }

  @Test
  void aTrustedPeerIsNotCounted() throws Exception {
    try (RunningHerald herald = RunningHerald.start(LIMIT);
        SipUdpClient client = SipUdpClient.open(herald.port())) {
      assertEquals(List.of(200, 200, 200, 200, 200), statuses(sendOptions(client, 5)));
    }
  }

  /**
   * SIPp floods OPTIONS at 200/s from an untrusted address: the first burst is answered 200, the
   * rest 503 (which the scenario does not expect, so those calls fail); from a trusted address
   * every call passes.
   */
  @Test
  void aSippFloodIsCutToTheBurstAndATrustedOneIsNot() throws Exception {
    String limit = "sip: {rate-limit: {per-second: 5, burst: 5}}";
    try (RunningHerald herald = RunningHerald.startUntrustedWith(limit)) {
      SippResult r = herald.sipp("options", SippTransport.UDP).calls(40).rate(200).run();
      assertTrue(r.successfulCalls() >= 5 && r.successfulCalls() <= 10, r.describe());
      assertEquals(40 - r.successfulCalls(), r.failedCalls(), r.describe());
    }
    try (RunningHerald herald = RunningHerald.start(limit)) {
      SippResult r = herald.sipp("options", SippTransport.UDP).calls(40).rate(200).run();
      r.assertPassed();
      assertEquals(40, r.successfulCalls(), r.describe());
    }
  }

  private static List<Response> sendOptions(SipUdpClient client, int n) throws Exception {
    List<Response> answers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      client.send(
          client
              .request("OPTIONS", "sip:" + RunningHerald.DOMAIN)
              .header("From", "<sip:probe@" + RunningHerald.DOMAIN + ">;tag=rate" + i)
              .header("To", "<sip:" + RunningHerald.DOMAIN + ">")
              .header("Call-ID", "rate-limit-" + i)
              .header("CSeq", "1 OPTIONS"));
      answers.add(client.nextResponse());
    }
    return answers;
  }

  private static List<Integer> statuses(List<Response> answers) {
    return answers.stream().map(Response::getStatusCode).toList();
  }
}
