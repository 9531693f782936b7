package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.fixtures.sipp.LoopbackPorts;
import dev.herald.fixtures.sipp.RunningSipp;
import dev.herald.fixtures.sipp.SippTransport;
import java.time.Duration;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;

/**
 * A trunk whose {@code telephony-source} is {@code not-homed} speaks for every address the
 * directory does not know (the CUCM-trunk issue): its PUBLISH for such an address is telephony
 * presence, accepted as its unsolicited NOTIFY is, not 404 from the access check; an address the
 * directory does know stays under the directory's rules.
 */
class NotHomedPublishIT {

  @Test
  void publishFromTheTrunkForAnAddressTheDirectoryDoesNotKnowIsAccepted() throws Exception {
    int silentPort = LoopbackPorts.freeUdpAndTcpPort();
    try (RunningHerald herald =
        RunningHerald.start(
                """
            trunks:
              - name: cucm1
                peers: [{host: 127.0.0.1, port: %d, transport: udp}]
                telephony-source: not-homed
            """
                .formatted(silentPort))) {
      // busy, then available: two PUBLISHes, each answered 200 with SIP-ETag and Expires
      herald.sipp("cucm-phone-publisher", SippTransport.UDP).service("yvonne").run().assertPassed();
      herald.await("yvonne's telephony presence kept", s -> s.publications() == 1);

      // zed is in the directory (not enabled): homed, so not the trunk's, and refused as before
      try (SipUdpClient cucm = SipUdpClient.open(herald.port())) {
        cucm.send(
            cucm.request("PUBLISH", "sip:zed@herald.test")
                .header("From", "<sip:zed@herald.test>;tag=c")
                .header("To", "<sip:zed@herald.test>")
                .header("Call-ID", "not-homed-zed")
                .header("CSeq", "1 PUBLISH")
                .header("Event", "presence")
                .header("Expires", "600")
                .header("Content-Type", "application/pidf+xml")
                .body(
                    "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:zed@herald.test\">"
                        + "<tuple id=\"t\"><status><basic>open</basic></status></tuple></presence>"));
        Response r = cucm.nextResponse();
        assertEquals(404, r.getStatusCode(), r.toString());
      }
    }
  }

  @Test
  void anAddressOnlyTheTrunkKnowsCanBeWatched() throws Exception {
    int silentPort = LoopbackPorts.freeUdpAndTcpPort();
    try (RunningHerald herald =
        RunningHerald.start(
                """
            trunks:
              - name: cucm1
                peers: [{host: 127.0.0.1, port: %d, transport: udp}]
                telephony-source: not-homed
            """
                .formatted(silentPort))) {
      // yvonne is not in the directory: without the trunk a SUBSCRIBE to her gets 404
      try (RunningSipp watcher =
          herald.sipp("watcher-phone", SippTransport.UDP).service("yvonne").start()) {
        watcher.awaitMilestone("subscribed", Duration.ofSeconds(20));
        herald
            .sipp("cucm-phone-publisher", SippTransport.UDP)
            .service("yvonne")
            .run()
            .assertPassed();
        watcher.awaitExit(Duration.ofSeconds(30)).assertPassed();
      }
    }
  }
}
