package dev.herald.im.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** XEP-0114 §3: the handshake is lower-case hex SHA-1 of the stream id followed by the secret. */
class HandshakeTest {

  @Test
  void lowerCaseHexSha1OfIdThenSecret() {
    // printf '3BF96D32sous' | sha1sum
    assertEquals("3d9459680ce8e35e61c51a7b02448692bd2d4bd7", Handshake.digest("3BF96D32", "sous"));
  }
}
