package dev.herald.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Datagrams of every size up to the UDP maximum reach the stack through Herald's UDP processor
 * (gov.nist.javax.sip.stack.CompactDatagramProcessorFactory), and replies leave from the listening
 * socket.
 */
class UdpIntakeTest {
  private SipServer server;
  private int port;
  private DatagramSocket client;

  @BeforeEach
  void start() throws Exception {
    port = LoopbackSettings.freeUdpPort();
    server = SipServer.builder(LoopbackSettings.udp(port)).start();
    client = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    client.setSoTimeout(5_000);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1_500, 20_000, 60_000})
  void optionsOfAnySizeIsAnsweredFromTheListeningSocket(int padding) throws Exception {
    String branch = "z9hG4bK-udp-" + padding;
    String message =
        "OPTIONS sip:herald.test SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:"
            + client.getLocalPort()
            + ";branch="
            + branch
            + "\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:probe@herald.test>;tag=1\r\n"
            + "To: <sip:herald.test>\r\n"
            + "Call-ID: udp-intake-"
            + padding
            + "\r\n"
            + "CSeq: 1 OPTIONS\r\n"
            + "Subject: "
            + "x".repeat(padding)
            + "\r\n"
            + "Content-Length: 0\r\n\r\n";
    byte[] out = message.getBytes(StandardCharsets.US_ASCII);
    client.send(new DatagramPacket(out, out.length, new InetSocketAddress("127.0.0.1", port)));

    byte[] in = new byte[65_535];
    DatagramPacket reply = new DatagramPacket(in, in.length);
    client.receive(reply);
    String response = new String(in, 0, reply.getLength(), StandardCharsets.US_ASCII);

    assertTrue(response.startsWith("SIP/2.0 200 "), response);
    assertTrue(response.contains(branch), response);
    assertEquals(port, reply.getPort(), "reply must leave from the listening socket");
  }
}
