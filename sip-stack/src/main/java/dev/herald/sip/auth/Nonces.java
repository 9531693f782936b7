package dev.herald.sip.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless nonces: the server keeps nothing per nonce, it can tell its own from their MAC and
 * their age from the time inside them (RFC 7616 §3.3 leaves the form of a nonce to the server).
 *
 * <p>A nonce is base64url, without padding, of 40 bytes: issue time (8 bytes, clock millis), a
 * random part (16 bytes), and HMAC-SHA-256(secret, time ‖ random ‖ realm) cut to its first 16 bytes
 * (RFC 2104 §5 allows cutting to half the hash). Binding the realm keeps two authenticators that
 * share a secret from accepting each other's nonces.
 */
final class Nonces {
  enum Status {
    /** Issued here, within the lifetime. */
    FRESH,
    /** Issued here, but older than the lifetime, or from the future (the clock was set back). */
    STALE,
    /** Not issued here, or garbled. */
    FOREIGN
  }

  private static final int TIME_BYTES = 8;
  private static final int RANDOM_BYTES = 16;
  private static final int MAC_BYTES = 16;
  private static final int SIGNED_BYTES = TIME_BYTES + RANDOM_BYTES;
  private static final int NONCE_BYTES = SIGNED_BYTES + MAC_BYTES;
  private static final int NONCE_CHARS = (NONCE_BYTES * 8 + 5) / 6;
  private static final String HMAC = "HmacSHA256";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final SecretKeySpec key;
  private final byte[] realm;
  private final long lifetimeMillis;
  private final LongSupplier clock;
  private final SecureRandom random = new SecureRandom();

  Nonces(byte[] secret, String realm, Duration lifetime, LongSupplier clock) {
    this.key = new SecretKeySpec(secret, HMAC);
    this.realm = realm.getBytes(StandardCharsets.UTF_8);
    this.lifetimeMillis = lifetime.toMillis();
    this.clock = clock;
  }

  String issue() {
    byte[] nonce = new byte[NONCE_BYTES];
    ByteBuffer.wrap(nonce).putLong(clock.getAsLong());
    byte[] r = new byte[RANDOM_BYTES];
    random.nextBytes(r);
    System.arraycopy(r, 0, nonce, TIME_BYTES, RANDOM_BYTES);
    System.arraycopy(mac(nonce), 0, nonce, SIGNED_BYTES, MAC_BYTES);
    return ENCODER.encodeToString(nonce);
  }

  Status check(String nonce) {
    if (nonce.length() != NONCE_CHARS) {
      return Status.FOREIGN;
    }
    byte[] raw;
    try {
      raw = DECODER.decode(nonce);
    } catch (IllegalArgumentException e) {
      return Status.FOREIGN;
    }
    // Only the canonical spelling is ours: one nonce, one key in the nonce-count table.
    if (raw.length != NONCE_BYTES || !ENCODER.encodeToString(raw).equals(nonce)) {
      return Status.FOREIGN;
    }
    byte[] expected = Arrays.copyOf(mac(raw), MAC_BYTES);
    byte[] actual = Arrays.copyOfRange(raw, SIGNED_BYTES, NONCE_BYTES);
    if (!MessageDigest.isEqual(expected, actual)) {
      return Status.FOREIGN;
    }
    long age = clock.getAsLong() - ByteBuffer.wrap(raw).getLong();
    return age < 0 || age > lifetimeMillis ? Status.STALE : Status.FRESH;
  }

  /** The MAC of a nonce's time and random part, with the realm. */
  private byte[] mac(byte[] nonce) {
    try {
      // A Mac per call: Mac instances are not thread-safe, and the lookup is cheap next to SIP.
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      mac.update(nonce, 0, SIGNED_BYTES);
      return mac.doFinal(realm);
    } catch (GeneralSecurityException e) {
      // Every Java SE platform must provide HmacSHA256 (Mac javadoc).
      throw new IllegalStateException(HMAC + " is not available", e);
    }
  }
}
