package gov.nist.javax.sip.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.DatagramPacket;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CompactDatagramProcessorTest {

  @Test
  void rightSizedCopiesExactlyTheReceivedBytesAndTheSender() throws Exception {
    byte[] buffer = new byte[65_536];
    byte[] payload = "OPTIONS sip:herald.test SIP/2.0\r\n".getBytes();
    System.arraycopy(payload, 0, buffer, 7, payload.length);
    DatagramPacket received = new DatagramPacket(buffer, 7, payload.length);
    received.setAddress(InetAddress.getLoopbackAddress());
    received.setPort(5070);

    DatagramPacket copy =
        CompactDatagramProcessorFactory.CompactDatagramProcessor.rightSized(received);

    assertEquals(payload.length, copy.getData().length);
    assertEquals(0, copy.getOffset());
    assertEquals(payload.length, copy.getLength());
    assertArrayEquals(payload, copy.getData());
    assertEquals(InetAddress.getLoopbackAddress(), copy.getAddress());
    assertEquals(5070, copy.getPort());

    buffer[7] = 'X';
    assertEquals('O', copy.getData()[0], "the copy must not share the reused buffer");
  }
}
