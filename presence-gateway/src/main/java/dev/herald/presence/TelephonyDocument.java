package dev.herald.presence;

import dev.herald.presence.pidf.PidfDocument;
import java.util.Objects;

/**
 * A presence document a trunk (CUCM) published for a user: their telephony presence, kept beside
 * what the user's own clients publish and composed with it by {@link
 * dev.herald.presence.pidf.TelephonyComposer}.
 *
 * @param pidf the parsed document
 */
public record TelephonyDocument(PidfDocument pidf) {
  public TelephonyDocument {
    Objects.requireNonNull(pidf, "pidf");
  }
}
