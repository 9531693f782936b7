package dev.herald.registrar;

/**
 * One device's registration: a contact bound to an address-of-record (RFC 3261 §10.2.1).
 *
 * @param aor the address-of-record, {@code sip:user@domain}
 * @param contact the contact URI, as the device gave it
 * @param q the preference, 0.0 to 1.0 (1.0 when absent)
 * @param callId the Call-ID of the REGISTER that made or last refreshed it
 * @param cseq that REGISTER's CSeq
 * @param expiresAtNanos when it expires, on the registrar's ticker
 */
public record Binding(
    String aor, String contact, float q, String callId, long cseq, long expiresAtNanos) {}
