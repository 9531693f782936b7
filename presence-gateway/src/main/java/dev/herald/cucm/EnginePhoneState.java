package dev.herald.cucm;

import dev.herald.presence.BadDocumentException;
import dev.herald.presence.PresenceEngine;
import dev.herald.presence.PresencePackage;
import dev.herald.presence.PublishReply;
import dev.herald.presence.Resource;
import dev.herald.presence.TelephonyDocument;
import dev.herald.presence.pidf.PidfDocument;
import dev.herald.sip.Rejection;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phone state from back-end subscriptions into the presence engine, by the same path as CUCM's
 * unsolicited NOTIFY ({@link PresenceEngine#telephonyNotify}): the latest replaces the one before.
 */
public final class EnginePhoneState implements PhoneStateSink {
  private static final Logger LOG = LoggerFactory.getLogger(EnginePhoneState.class);

  private final PresenceEngine engine;
  private final PresencePackage pidf;

  public EnginePhoneState(PresenceEngine engine, PresencePackage pidf) {
    this.engine = engine;
    this.pidf = pidf;
  }

  @Override
  public void state(String presentity, TelephonyDocument document, int expires) {
    engine.telephonyNotify(
        new Resource(presentity, PresencePackage.NAME),
        document,
        document == null ? 0 : expires,
        new PublishReply() {
          @Override
          public void accepted(String etag, int granted) {}

          @Override
          public void rejected(Rejection rejection) {
            LOG.warn("phone state of {} not kept: {}", presentity, rejection);
          }
        });
  }

  @Override
  public void unknown(String presentity, String note) {
    String xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\""
            + escape(presentity)
            + "\"><tuple id=\"cucm-phone\"><status><basic>closed</basic></status>"
            + "<note>"
            + escape(note)
            + "</note></tuple></presence>";
    try {
      TelephonyDocument doc =
          new TelephonyDocument((PidfDocument) pidf.parse(xml.getBytes(StandardCharsets.UTF_8)));
      state(presentity, doc, (int) BackendSubscriptions.STATE_MAX_AGE.toSeconds() * 12);
    } catch (BadDocumentException e) {
      // Built here from a fixed text; failing is a bug, not a peer's fault.
      LOG.error("cannot build the closed document of {}", presentity, e);
    }
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
