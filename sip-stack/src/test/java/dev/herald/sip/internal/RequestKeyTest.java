package dev.herald.sip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestKeyTest {

  @Test
  void aRequestIsKnownByMethodTopBranchAndSource() {
    assertEquals(
        "SUBSCRIBE z9hg4bk-1 127.0.0.1:5070",
        key(
            "\r\nSUBSCRIBE sip:a@h SIP/2.0\r\nMax-Forwards: 70\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;rport;branch=z9hG4bK-1, SIP/2.0/UDP x;branch=z9hG4bK-2\r\n"
                + "Via: SIP/2.0/UDP y;branch=z9hG4bK-3\r\n\r\n"));
    assertEquals(
        "OPTIONS z9hg4bk-4 127.0.0.1:5070",
        key("OPTIONS sip:h SIP/2.0\nv : SIP/2.0/UDP h ; branch = z9hG4bK-4\n\n"));
  }

  @Test
  void aKeyGivesJainSipsTransactionIdExceptForCancelAndAck() {
    assertEquals("z9hg4bk-1", RequestKey.transactionId("SUBSCRIBE z9hg4bk-1 127.0.0.1:5070"));
    assertNull(RequestKey.transactionId("CANCEL z9hg4bk-1 127.0.0.1:5070"));
    assertNull(RequestKey.transactionId("ACK z9hg4bk-1 127.0.0.1:5070"));
  }

  @Test
  void otherDatagramsHaveNoKey() {
    assertNull(key("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK-1\r\n\r\n"));
    assertNull(key("OPTIONS sip:h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=1234\r\n\r\n"));
    assertNull(key("OPTIONS sip:h SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n\r\n"));
    assertNull(
        key("OPTIONS sip:h SIP/2.0\r\nTo: <sip:h>\r\n\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK-1"));
    assertNull(key("OPTIONS sip:h SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n ;branch=z9hG4bK-1\r\n\r\n"));
    assertNull(key("OPTIONS sip:h SIP/2.0\r\n  Via: SIP/2.0/UDP h;branch=z9hG4bK-1\r\n\r\n"));
    assertNull(key("\r\n\r\n"));
    assertNull(key("OPTIONS"));
    assertNull(key("OPTIONS sip:h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK-1"));
  }

  private static String key(String text) {
    byte[] b = ("xx" + text).getBytes(StandardCharsets.ISO_8859_1);
    return RequestKey.of(b, 2, b.length - 2, "127.0.0.1:5070");
  }
}
