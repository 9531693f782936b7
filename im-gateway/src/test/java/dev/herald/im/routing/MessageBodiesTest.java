package dev.herald.im.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.im.mapping.ImText;
import dev.herald.im.routing.MessageBodies.Refused;
import dev.herald.im.routing.MessageBodies.Result;
import dev.herald.im.routing.MessageBodies.Text;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 3428 bodies Herald relays: text/plain, message/cpim (RFC 3862) around text/plain. */
class MessageBodiesTest {

  private static Result read(String type, String charset, String body, String subject) {
    return MessageBodies.read(type, charset, body.getBytes(StandardCharsets.UTF_8), subject);
  }

  @Test
  void plainTextWithTheSipSubject() {
    assertEquals(
        new Text(new ImText("h\u00e9llo", "greetings")),
        read("text/plain", "UTF-8", "h\u00e9llo", " greetings "));
  }

  @Test
  void latin1TextIsDecodedByItsCharset() {
    Result r =
        MessageBodies.read(
            "text/plain", "ISO-8859-1", "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1), null);

    assertEquals(new Text(new ImText("caf\u00e9", "")), r);
  }

  @Test
  void cpimGivesItsContentAndItsFirstSubject() {
    String cpim =
        "From: Alice <im:alice@herald.test>\r\n"
            + "To: Bob <im:bob@herald.test>\r\n"
            + "DateTime: 2026-11-21T11:00:00Z\r\n"
            + "Subject:;lang=fr le d\u00e9jeuner\r\n"
            + "Subject: lunch\r\n"
            + "\r\n"
            + "Content-Type: text/plain; charset=\"UTF-8\"\r\n"
            + "\r\n"
            + "at noon?";

    assertEquals(
        new Text(new ImText("at noon?", "le d\u00e9jeuner")),
        read("message/cpim", null, cpim, "ignored"));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          application/im-iscomposing+xml | <x/>  | 415 | Unsupported Media Type (application/im-iscomposing+xml; Herald relays text/plain, message/cpim)
          message/cpim | From: a\\n\\nContent-Type: text/html\\n\\n<b>x</b> | 415 | Unsupported Media Type (message/cpim carrying text/html; Herald relays text/plain, message/cpim)
          message/cpim | From: a\\n\\nContent-Type: text/plain | 400 | Bad Request (message/cpim without content after its MIME headers)
          message/cpim | From a | 400 | Bad Request (message/cpim header without a colon: From a)
          """)
  void refusals(String type, String body, int status, String reason) {
    Result r = read(type, null, body.replace("\\n", "\n"), null);

    assertEquals(status, ((Refused) r).rejection().status());
    assertEquals(reason, ((Refused) r).rejection().reason());
  }

  @Test
  void noContentTypeIsUnsupported() {
    assertEquals(415, ((Refused) read(null, null, "hi", null)).rejection().status());
  }

  @Test
  void anEmptyBodyIsABadRequest() {
    assertEquals(400, ((Refused) read("text/plain", null, "", null)).rejection().status());
  }

  @Test
  void bytesThatAreNotTheirCharsetAreABadRequest() {
    Result r = MessageBodies.read("text/plain", null, new byte[] {(byte) 0xC3, 0x28}, null);

    assertEquals("Bad Request (the body is not UTF-8 text)", ((Refused) r).rejection().reason());
  }

  /** RFC 3428 §8: 1300 bytes pass, 1301 are 513. */
  @Test
  void theSizeBoundIs1300Bytes() {
    assertEquals(Text.class, read("text/plain", null, "x".repeat(1300), null).getClass());
    Result over = read("text/plain", null, "x".repeat(1301), null);

    assertEquals(513, ((Refused) over).rejection().status());
    assertEquals(
        "Message Too Large (body of 1301 bytes; Herald relays at most 1300, RFC 3428 §8)",
        ((Refused) over).rejection().reason());
  }
}
