package dev.herald.registrar;

import java.util.List;

/**
 * A REGISTER as the registrar sees it (RFC 3261 §10.3).
 *
 * @param aor the address-of-record from To, normalized
 * @param contacts the Contact entries; empty for a query
 * @param wildcard {@code Contact: *} (remove every binding)
 * @param expires the Expires header value, or null when absent
 * @param callId the Call-ID
 * @param cseq the CSeq number
 */
public record RegisterRequest(
    String aor,
    List<ContactEntry> contacts,
    boolean wildcard,
    Integer expires,
    String callId,
    long cseq) {

  public RegisterRequest {
    contacts = List.copyOf(contacts);
  }

  /**
   * One Contact of a REGISTER.
   *
   * @param uri the contact URI
   * @param expires its {@code expires} parameter, or null
   * @param q its {@code q} parameter, or null
   */
  public record ContactEntry(String uri, Integer expires, Float q) {}
}
