package dev.herald.presence.pidf;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;

/**
 * What every document parser of the engine (PIDF, dialog-info) reads XML with: a StAX factory that
 * refuses DTDs and every external resource, and a strict UTF-8 decoding of the body. Each parser
 * adds its own size and depth bounds and its own messages.
 */
public final class XmlInput {
  private XmlInput() {}

  /**
   * A namespace-aware, coalescing StAX factory with no DTD support, no external entities and a
   * resolver that refuses any external resource (README "XML limits").
   */
  public static XMLInputFactory hardenedFactory() {
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setXMLResolver(
        (publicId, systemId, baseUri, namespace) -> {
          throw new XMLStreamException("external resource refused");
        });
    return factory;
  }

  /**
   * {@code body} decoded as UTF-8, a leading byte order mark dropped.
   *
   * @throws CharacterCodingException when it is not valid UTF-8
   */
  public static String utf8(byte[] body) throws CharacterCodingException {
    String text =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(body))
            .toString();
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }
}
