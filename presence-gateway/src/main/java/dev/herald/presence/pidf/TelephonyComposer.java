package dev.herald.presence.pidf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Composes a presentity's own publications with its telephony presence, the phone state a CUCM
 * trunk publishes for it.
 *
 * <p>The phone state is the strongest of ({@link PhoneState} order: do not disturb, on the phone,
 * ringing, available): every telephony publication's, and {@code ce:dnd} in the user's own
 * publications (a Cisco phone's DND key). Then, for every watcher, the person's RFC 4480 activities
 * are:
 *
 * <ul>
 *   <li>do not disturb: {@code <rpid:busy/>} (RFC 4480 has no do-not-disturb activity);
 *   <li>on the phone: {@code <rpid:on-the-phone/>};
 *   <li>otherwise (ringing, available, no phone state): the activities of the user's own
 *       publications, as {@link PidfComposer} composes them.
 * </ul>
 *
 * Telephony publications add their tuples, devices and notes as any publication does, but never
 * their activities or Cisco phone elements: the phone state speaks for them. For Cisco clients the
 * document also carries a top-level {@code <ce:person>} (namespace {@value PhoneState#CISCO_NS})
 * with {@code <ce:phone-status>} ({@link PhoneState#token()}: {@code dnd}, {@code on-the-phone},
 * {@code alerting}, {@code available}, or {@code unknown} without phone state) and {@code
 * <ce:im-status>} ({@code available} when one of the user's own publications has a tuple with
 * {@code <basic>open</basic>}, else {@code unavailable}).
 */
public final class TelephonyComposer {
  /*
   * Design note. The synthetic elements (the activities that stand for the phone state, Cisco's
   * person) are parsed from a small PIDF document and put first, as the oldest publication: its
   * person start tag is used only when nobody else published a person, and the keep-predicate
   * makes its activities the only ones when the phone state decides them.
   */

  private static final PidfParser PARSER = new PidfParser(4_096, 8);

  private TelephonyComposer() {}

  /**
   * The document for {@code entity}.
   *
   * @param publications every live publication, oldest first; none gives {@link
   *     PidfComposer#closed(String)}
   * @param telephony which of them are telephony publications (from a trunk)
   * @param cisco whether the watcher is a Cisco client, which also gets Cisco's person element
   */
  public static String compose(
      String entity,
      List<PidfDocument> publications,
      Predicate<PidfDocument> telephony,
      boolean cisco) {
    if (publications.isEmpty()) {
      return PidfComposer.closed(entity);
    }
    PhoneState phone = PhoneState.NONE;
    boolean anyTelephony = false;
    boolean imOpen = false;
    for (PidfDocument d : publications) {
      if (telephony.test(d)) {
        anyTelephony = true;
        phone = phone.max(d.phoneState());
      } else {
        if (d.phoneState() == PhoneState.DND) {
          phone = PhoneState.DND;
        }
        imOpen |= d.tuples().stream().anyMatch(t -> t.basic().filter("open"::equals).isPresent());
      }
    }
    if (!anyTelephony && phone == PhoneState.NONE && !cisco) {
      return PidfComposer.compose(entity, publications);
    }
    String activity =
        switch (phone) {
          case DND -> "busy";
          case ON_THE_PHONE -> "on-the-phone";
          default -> null;
        };
    PidfDocument synthetic =
        synthetic(activity, cisco ? phone.token() : null, imOpen ? "available" : "unavailable");
    List<PidfDocument> all = new ArrayList<>(publications.size() + 1);
    all.add(synthetic);
    all.addAll(publications);
    boolean phoneDecides = activity != null;
    return PidfComposer.compose(
        entity,
        all,
        (d, child) -> {
          if (d == synthetic || !PhoneState.carriesPhoneState(child)) {
            return true;
          }
          if (telephony.test(d)) {
            return false;
          }
          boolean activities =
              child.namespaceUri().equals(PidfDocument.RPID_NS)
                  && child.localName().equals("activities");
          return !(activities && phoneDecides);
        });
  }

  /** The phone state's activities and, for a Cisco client, Cisco's person element. */
  private static PidfDocument synthetic(String activity, String phoneStatus, String imStatus) {
    StringBuilder xml =
        new StringBuilder(
            "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\""
                + " xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\""
                + " xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\""
                + " xmlns:ce=\"urn:cisco:params:xml:ns:pidf:rpid\" entity=\"sip:herald@invalid\">");
    if (activity != null) {
      xml.append("<dm:person id=\"p-phone\"><rpid:activities><rpid:")
          .append(activity)
          .append("/></rpid:activities></dm:person>");
    }
    if (phoneStatus != null) {
      xml.append("<ce:person><ce:phone-status>")
          .append(phoneStatus)
          .append("</ce:phone-status><ce:im-status>")
          .append(imStatus)
          .append("</ce:im-status></ce:person>");
    }
    xml.append("</presence>");
    try {
      return PARSER.parse(xml.toString().getBytes(StandardCharsets.UTF_8));
    } catch (PidfException e) {
      throw new IllegalStateException("Herald's own telephony document does not parse", e);
    }
  }
}
