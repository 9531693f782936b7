package dev.herald.im.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzz target of the XMPP stanza codec: arbitrary bytes, cut into arbitrary chunks, fed to {@link
 * StreamParser}. Checked for every input:
 *
 * <ul>
 *   <li>nothing escapes but {@link XmppStreamException} (the stream error that closes the
 *       connection);
 *   <li>cutting does not matter: the bytes fed in chunks (their sizes drawn from the input itself,
 *       so a finding replays) give the same events as the bytes fed at once, or both fail;
 *   <li>every stanza written back with {@link XmlElement#toXml(String)} parses back equal.
 * </ul>
 *
 * Work is bounded by the parser's limits (4 KiB per stanza, depth 16 here). Every build replays the
 * seeds below and the inputs kept in {@code StreamParserFuzzTestInputs/}; {@code scripts/fuzz}
 * fuzzes it (see README, Fuzzing).
 */
class StreamParserFuzzTest {
  private static final int MAX_STANZA_BYTES = 4096;
  private static final int MAX_DEPTH = 16;
  private static final String NAMESPACE = "jabber:component:accept";
  private static final String HEADER =
      "<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams'"
          + " xmlns='"
          + NAMESPACE
          + "' from='sip.herald.test' id='3BF96D32'>";

  /**
   * The one difference between whole and chunked input that is accepted (fuzzing finding, input
   * kept as {@code crash-871ab…}): Aalto's async scanner refuses {@code ]]>} in character data (XML
   * 1.0 §2.4) when the three bytes arrive in one chunk, but misses it when a chunk ends inside
   * them. Decoded text cannot tell {@code ]]>} from the legal {@code ]]&gt;}, so Herald cannot
   * check it after Aalto; the lenience harms nothing (the text is kept as text, and written back
   * escaped), and the input must then hold the three bytes.
   */
  private static final String AALTO_SPLIT_CDATA_END = "String ']]>' not allowed in textual content";

  @MethodSource("seeds")
  @FuzzTest
  void streamParser(byte[] input) {
    Outcome whole = parse(input, Integer.MAX_VALUE, new Random(0), MAX_STANZA_BYTES);
    Outcome chunked = parse(input, 64, new Random(Arrays.hashCode(input)), MAX_STANZA_BYTES);
    if (whole.failure != null
        && chunked.failure == null
        && whole.failure.getMessage().contains(AALTO_SPLIT_CDATA_END)
        && new String(input, StandardCharsets.ISO_8859_1).contains("]]>")) {
      return; // Aalto's known lenience, see AALTO_SPLIT_CDATA_END
    }
    assertEquals(
        whole.failure == null,
        chunked.failure == null,
        () -> "fed at once: " + whole.failure + "; fed in chunks: " + chunked.failure);
    if (whole.failure == null) {
      assertEquals(whole.events, chunked.events, "fed at once and in chunks");
    }
    for (Object event : whole.events) {
      if (event instanceof XmlElement stanza) {
        String again = HEADER + stanza.toXml(NAMESPACE);
        // Written back, a stanza can outgrow the wire limit it met (a '>' in text becomes
        // "&gt;": fuzzing finding crash-5243b…), so the re-parse has room for what was written.
        byte[] written = again.getBytes(StandardCharsets.UTF_8);
        Outcome reparsed = parse(written, Integer.MAX_VALUE, new Random(0), written.length);
        assertTrue(reparsed.failure == null, () -> again + " does not parse: " + reparsed.failure);
        assertEquals(stanza, reparsed.events.get(1), () -> "written back as " + again);
      }
    }
  }

  /**
   * A stream's header, messages, presence, IQ, a handshake and a close: the parser's vocabulary.
   */
  static Stream<byte[]> seeds() {
    return Stream.of(
            HEADER + "<handshake>aaf456ee0e2f4de5d6e2bd7bcd1b1d3c0fbb7c5a</handshake>",
            HEADER
                + "<message from='bob@xmpp.herald.test/pc' to='alice@sip.herald.test' type='chat'"
                + " xml:lang='en'><body>caf\u00e9 &lt;3 &amp; more</body>"
                + "<active xmlns='http://jabber.org/protocol/chatstates'/></message>",
            HEADER
                + "<presence from='bob@xmpp.herald.test/pc' to='alice@sip.herald.test'>"
                + "<show>xa</show><status>away &#x263A;</status><priority>5</priority></presence>"
                + " \n ",
            HEADER
                + "<iq type='get' id='v1' from='xmpp.herald.test' to='sip.herald.test'>"
                + "<query xmlns='jabber:iq:version'/></iq><![CDATA[x]]>",
            HEADER + "<message><body><![CDATA[<b>&</b>]]></body></message></stream:stream>",
            HEADER
                + "<stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                + "</stream:error></stream:stream>")
        .map(s -> s.getBytes(StandardCharsets.UTF_8));
  }

  private record Outcome(List<Object> events, XmppStreamException failure) {}

  private static Outcome parse(byte[] input, int maxChunk, Random cuts, int maxStanzaBytes) {
    List<Object> events = new ArrayList<>();
    StreamParser parser =
        new StreamParser(
            new StreamParser.Handler() {
              @Override
              public void streamOpened(Map<String, String> attributes) {
                events.add(attributes);
              }

              @Override
              public void stanza(XmlElement stanza) {
                events.add(stanza);
              }

              @Override
              public void streamClosed() {
                events.add("closed");
              }
            },
            maxStanzaBytes,
            MAX_DEPTH);
    try {
      int offset = 0;
      while (offset < input.length) {
        int length = Math.min(input.length - offset, 1 + cuts.nextInt(Math.min(maxChunk, 1 << 20)));
        parser.feed(input, offset, length);
        offset += length;
      }
      return new Outcome(events, null);
    } catch (XmppStreamException e) {
      return new Outcome(events, e);
    } finally {
      parser.close();
    }
  }
}
