package dev.herald.sip;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;

/**
 * Factories for JAIN-SIP value types, and the random tokens SIP needs. The factories are stateless
 * and shared by every thread.
 */
public final class SipMessages {
  public static final HeaderFactory HEADERS = new HeaderFactoryImpl();
  public static final AddressFactory ADDRESSES = new AddressFactoryImpl();
  public static final MessageFactory MESSAGES = new MessageFactoryImpl();

  private SipMessages() {}

  /**
   * The Contact that names a listen point: {@code sip:address:port}, with {@code transport=tcp} for
   * TCP, so in-dialog requests come back to the same socket; for TLS {@code sips:address:port},
   * since RFC 5630 §3.1.3 deprecates {@code transport=tls}.
   */
  public static ContactHeader contact(ListenPoint lp) {
    return (ContactHeader) CONTACTS.computeIfAbsent(lp, SipMessages::newContact).clone();
  }

  /** The Contact header line of a listen point, as {@link #contact} encodes, CRLF included. */
  public static String contactText(ListenPoint lp) {
    return CONTACT_LINES.computeIfAbsent(lp, p -> contact(p).toString());
  }

  // A listen point's Contact, made (parsed) once: each response and request gets a copy.
  private static final Map<ListenPoint, ContactHeader> CONTACTS = new ConcurrentHashMap<>();
  private static final Map<ListenPoint, String> CONTACT_LINES = new ConcurrentHashMap<>();

  private static ContactHeader newContact(ListenPoint lp) {
    try {
      String host =
          lp.address().indexOf(':') >= 0 && !lp.address().startsWith("[")
              ? "[" + lp.address() + "]"
              : lp.address();
      SipURI uri = ADDRESSES.createSipURI(null, host);
      uri.setPort(lp.port());
      if (lp.tls()) {
        uri.setSecure(true);
      } else if (!"udp".equals(lp.transport())) {
        uri.setTransportParam(lp.transport());
      }
      return HEADERS.createContactHeader(ADDRESSES.createAddress(uri));
    } catch (ParseException e) {
      throw new IllegalArgumentException("listen point cannot be a Contact: " + lp, e);
    }
  }

  /** A tag for From or To: 64 random bits, as RFC 3261 §19.3 asks (at least 32). */
  public static String newTag() {
    return Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
  }

  /** A Call-ID local part: 128 random bits. */
  public static String newCallId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return Long.toUnsignedString(r.nextLong(), 36) + Long.toUnsignedString(r.nextLong(), 36);
  }
}
