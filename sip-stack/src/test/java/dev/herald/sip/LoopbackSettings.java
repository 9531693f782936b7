package dev.herald.sip;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/** Settings for a test SIP server without TLS, serving herald.test on 127.0.0.1. */
final class LoopbackSettings {
  private LoopbackSettings() {}

  /** One UDP listen point on 127.0.0.1:{@code port}, two message threads. */
  static SipServerSettings udp(int port) {
    return new SipServerSettings(
        List.of(new ListenPoint("udp", "127.0.0.1", port)),
        List.of("herald.test"),
        2,
        65_536,
        false,
        "Herald/test",
        Optional.empty());
  }

  /** One TCP listen point on 127.0.0.1:{@code port}, two message threads. */
  static SipServerSettings tcp(int port) {
    return new SipServerSettings(
        List.of(new ListenPoint("tcp", "127.0.0.1", port)),
        List.of("herald.test"),
        2,
        65_536,
        false,
        "Herald/test",
        Optional.empty());
  }

  /** A TCP port on 127.0.0.1 that was free a moment ago. */
  static int freeTcpPort() throws IOException {
    try (java.net.ServerSocket probe =
        new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  /** A UDP port on 127.0.0.1 that was free a moment ago. */
  static int freeUdpPort() throws IOException {
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }
}
