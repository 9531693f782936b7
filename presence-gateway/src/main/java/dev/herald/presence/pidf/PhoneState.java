package dev.herald.presence.pidf;

/**
 * What a presence document says about the presentity's phone, in order of precedence: a later
 * constant beats an earlier one when documents are composed (do not disturb beats on the phone,
 * which beats ringing, which beats available).
 *
 * <p>Read from the person element (RFC 4479): RFC 4480 activities {@code on-the-phone} and {@code
 * busy}, and Cisco's {@code ce:dnd}, {@code ce:alerting} and {@code ce:available} (namespace
 * {@value #CISCO_NS}) inside the activities or directly under the person, as CUCM and Cisco phones
 * publish them.
 */
public enum PhoneState {
  /** The document says nothing about a phone. */
  NONE("unknown"),
  /** {@code ce:available}: idle, may be called. */
  AVAILABLE("available"),
  /** {@code ce:alerting}: ringing. */
  ALERTING("alerting"),
  /** RFC 4480 {@code on-the-phone} or {@code busy}: in a call. */
  ON_THE_PHONE("on-the-phone"),
  /** {@code ce:dnd}: do not disturb. */
  DND("dnd");

  /** Cisco's PIDF extension namespace (prefix {@code ce}). */
  public static final String CISCO_NS = "urn:cisco:params:xml:ns:pidf:rpid";

  private final String token;

  PhoneState(String token) {
    this.token = token;
  }

  /**
   * The value Herald sends in Cisco's {@code phone-status}: {@code dnd}, {@code on-the-phone}...
   */
  public String token() {
    return token;
  }

  /** The stronger of the two. */
  public PhoneState max(PhoneState other) {
    return other.ordinal() > ordinal() ? other : this;
  }

  /** What one element (an activity, or a Cisco element under the person) says; NONE if nothing. */
  static PhoneState of(String namespaceUri, String localName) {
    if (namespaceUri.equals(PidfDocument.RPID_NS)) {
      return switch (localName) {
        case "on-the-phone", "busy" -> ON_THE_PHONE;
        default -> NONE;
      };
    }
    if (namespaceUri.equals(CISCO_NS)) {
      return switch (localName) {
        case "dnd" -> DND;
        case "alerting" -> ALERTING;
        case "available" -> AVAILABLE;
        default -> NONE;
      };
    }
    return NONE;
  }

  /**
   * Whether {@code e}, a child of a person, carries phone state: RPID activities or a Cisco one.
   */
  static boolean carriesPhoneState(PidfElement e) {
    return (e.namespaceUri().equals(PidfDocument.RPID_NS) && e.localName().equals("activities"))
        || of(e.namespaceUri(), e.localName()) != NONE;
  }
}
