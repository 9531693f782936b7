package dev.herald.im.mapping;

import java.util.Objects;

/** An address that has no counterpart on the other side; the message says what is wrong with it. */
public final class AddressMappingException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why an address was refused, for the caller that must pick a response code. */
  public enum Reason {
    /** Not a {@code sip:user@host} address at all, or not one Herald can read. */
    MALFORMED,
    /**
     * A SIP address without a user part ({@code sip:herald.test}), or a JID without a localpart.
     */
    NO_USER_PART,
    /** The domain is not one the gateway maps. */
    DOMAIN_NOT_MAPPED,
    /** The JID localpart would be longer than RFC 7622 §3.3.1 allows (1023 bytes). */
    TOO_LONG,
    /** The user part holds a character that a JID localpart (or a SIP user part) cannot carry. */
    BAD_CHARACTER
  }

  private final Reason reason;

  AddressMappingException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
