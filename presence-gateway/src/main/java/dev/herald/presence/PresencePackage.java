package dev.herald.presence;

import dev.herald.presence.pidf.PidfComposer;
import dev.herald.presence.pidf.PidfDocument;
import dev.herald.presence.pidf.PidfException;
import dev.herald.presence.pidf.PidfParser;
import dev.herald.presence.pidf.TelephonyComposer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The {@code presence} event package (RFC 3856) with PIDF bodies (RFC 3863). Cisco phones ask for
 * {@code application/cpim-pidf+xml} but expect PIDF, so that type maps to PIDF too.
 */
public final class PresencePackage implements StatePackage {
  public static final String NAME = "presence";
  public static final String PIDF = "application/pidf+xml";
  public static final String CPIM_PIDF = "application/cpim-pidf+xml";

  /** Nesting deeper than this is no presence document but an attack on the parser. */
  private static final int MAX_DEPTH = 32;

  private final PidfParser parser;

  public PresencePackage(int maxDocumentBytes) {
    this.parser = new PidfParser(maxDocumentBytes, MAX_DEPTH);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String publishContentType() {
    return PIDF;
  }

  @Override
  public List<AcceptedType> acceptedTypes() {
    return List.of(new AcceptedType(PIDF, PIDF), new AcceptedType(CPIM_PIDF, PIDF));
  }

  @Override
  public Object parse(byte[] body) throws BadDocumentException {
    try {
      return parser.parse(body);
    } catch (PidfException e) {
      throw new BadDocumentException(e.getMessage());
    }
  }

  @Override
  public String compose(String entity, List<Object> documents, boolean registered) {
    if (documents.isEmpty()) {
      // RFC 3856 §6.7 leaves the default to the server: closed, or open while registered.
      return registered ? PidfComposer.registered(entity) : PidfComposer.closed(entity);
    }
    return composeFor(entity, documents, false);
  }

  /** As {@link #compose}, plus Cisco's person element ({@link TelephonyComposer}). */
  @Override
  public String composeForCisco(String entity, List<Object> documents, boolean registered) {
    if (documents.isEmpty()) {
      return compose(entity, documents, registered);
    }
    return composeFor(entity, documents, true);
  }

  /**
   * The composed document of {@code documents} (own publications as {@link PidfDocument}, a trunk's
   * as {@link TelephonyDocument}), oldest first and not empty; {@code cisco} adds Cisco's person
   * element (see {@link TelephonyComposer}).
   */
  static String composeFor(String entity, List<Object> documents, boolean cisco) {
    List<PidfDocument> docs = new ArrayList<>(documents.size());
    Set<PidfDocument> telephony = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Object d : documents) {
      if (d instanceof TelephonyDocument t) {
        docs.add(t.pidf());
        telephony.add(t.pidf());
      } else {
        docs.add((PidfDocument) d);
      }
    }
    return TelephonyComposer.compose(entity, docs, telephony::contains, cisco);
  }

  /**
   * The document of a presentity with nothing published: one tuple with {@code <basic>closed}, the
   * entity, and nothing else (RFC 3856 §6.6.2, polite blocking).
   */
  @Override
  public String politeBlock(String entity) {
    return PidfComposer.closed(entity);
  }
}
