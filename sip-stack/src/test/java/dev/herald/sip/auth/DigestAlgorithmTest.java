package dev.herald.sip.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Digest computations (RFC 7616 §3.4.1) and algorithm tokens (RFC 7616 §3.3, RFC 8760 §2.2). */
class DigestAlgorithmTest {
  // RFC 7616 §3.9.1: the inputs shared by its MD5 and SHA-256 examples.
  private static final String USER = "Mufasa";
  private static final String PASSWORD = "Circle of Life";
  private static final String REALM = "http-auth@example.org";
  private static final String NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
  private static final String CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

  private static String rfcExampleResponse(DigestAlgorithm a) {
    return a.response(
        a.ha1(USER, REALM, PASSWORD), NONCE, "00000001", CNONCE, "GET", "/dir/index.html");
  }

  @Test
  void rfc7616Md5Example() {
    assertEquals("8ca523f5e9506fed4657c9700eebdbec", rfcExampleResponse(DigestAlgorithm.MD5));
  }

  @Test
  void rfc7616Sha256Example() {
    assertEquals(
        "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
        rfcExampleResponse(DigestAlgorithm.SHA_256));
  }

  @Test
  void upperCaseHa1GivesTheSameResponse() {
    DigestAlgorithm a = DigestAlgorithm.SHA_256;
    String ha1 = a.ha1(USER, REALM, PASSWORD).toUpperCase(Locale.ROOT);
    assertEquals(
        "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
        a.response(ha1, NONCE, "00000001", CNONCE, "GET", "/dir/index.html"));
  }

  @Test
  void hexIsLowerCaseDigestOfUtf8() {
    assertEquals("d41d8cd98f00b204e9800998ecf8427e", DigestAlgorithm.MD5.hex(""));
    assertEquals(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        DigestAlgorithm.SHA_256.hex(""));
    // U+00E9 is two bytes in UTF-8 (c3 a9); the value is from: printf '\xc3\xa9' | md5sum
    assertEquals("66ddcd97cfdeabb2f6fb8a999b4bc76f", DigestAlgorithm.MD5.hex("\u00e9"));
  }

  @ParameterizedTest
  @CsvSource({"MD5, MD5", "md5, MD5", "SHA-256, SHA_256", "sha-256, SHA_256", "Sha-256, SHA_256"})
  void tokensAreCaseInsensitive(String token, DigestAlgorithm expected) {
    assertEquals(Optional.of(expected), DigestAlgorithm.fromToken(token));
  }

  @ParameterizedTest
  @ValueSource(strings = {"MD5-sess", "SHA-256-sess", "SHA-512-256", "SHA256", "", "AKAv1-MD5"})
  void otherTokensAreUnknown(String token) {
    assertTrue(DigestAlgorithm.fromToken(token).isEmpty(), token);
  }

  @Test
  void noTokenMeansMd5() {
    assertEquals(Optional.of(DigestAlgorithm.MD5), DigestAlgorithm.fromToken(null));
  }

  @Test
  void tokensRoundTrip() {
    for (DigestAlgorithm a : DigestAlgorithm.values()) {
      assertEquals(Optional.of(a), DigestAlgorithm.fromToken(a.token()));
      assertEquals(a.hexLength(), a.hex("x").length());
    }
  }
}
