package dev.herald.presence.pidf;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The XML attacks on a PUBLISH body, one row each, with the refusal that proves the protection
 * against it (README, "XML limits"). Each reason names the check that stopped the body, so a row
 * fails when its protection is removed: without the DOCTYPE check the DTD rows end as "not
 * well-formed" (entities undeclared) or succeed, without the depth check the deep body parses,
 * without the size check the large one fails later as not well-formed. No row reads the canary
 * file: its content never shows in the exception chain.
 */
class PidfParserHardeningTest {
  private static final int MAX_BYTES = 65_536;
  private static final int MAX_DEPTH = 32;
  private static final String CANARY = "CANARY-3f9a1c";
  private static final String DOCTYPE = "Malformed PIDF: DOCTYPE not allowed";

  @TempDir static Path dir;

  static Stream<Arguments> attacks() throws IOException {
    Path canary = Files.writeString(dir.resolve("canary.txt"), CANARY);
    String presence =
        "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:a@herald.test\">"
            + "<tuple id=\"t\"><status><basic>open</basic></status><note>{note}</note></tuple>"
            + "</presence>";
    StringBuilder laughs = new StringBuilder("<!DOCTYPE presence [<!ENTITY l0 \"lol\">");
    for (int i = 1; i <= 9; i++) {
      laughs.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10));
      laughs.append("\">");
    }
    laughs.append("]>");
    return Stream.of(
        Arguments.of(
            "internal DTD subset",
            "<!DOCTYPE presence [<!ELEMENT presence ANY>]>" + presence,
            "x",
            DOCTYPE),
        Arguments.of(
            "external DTD",
            "<!DOCTYPE presence SYSTEM \"" + canary.toUri() + "\">" + presence,
            "x",
            DOCTYPE),
        Arguments.of(
            "external entity (XXE)",
            "<!DOCTYPE presence [<!ENTITY x SYSTEM \"" + canary.toUri() + "\">]>" + presence,
            "&x;",
            DOCTYPE),
        Arguments.of(
            "external parameter entity",
            "<!DOCTYPE presence [<!ENTITY % p SYSTEM \"" + canary.toUri() + "\"> %p;]>" + presence,
            "x",
            DOCTYPE),
        Arguments.of("entity expansion (billion laughs)", laughs + presence, "&l9;", DOCTYPE),
        Arguments.of(
            "entity reference without a DTD",
            presence,
            "&x;",
            "Malformed PIDF: not well-formed XML at line 1"),
        Arguments.of(
            "deep nesting",
            presence,
            "<a>".repeat(5_000) + "</a>".repeat(5_000),
            "Malformed PIDF: elements nested deeper than " + MAX_DEPTH),
        Arguments.of(
            "huge document",
            presence,
            "x".repeat(MAX_BYTES),
            "PIDF document too large ({size} > " + MAX_BYTES + " bytes)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void isRefused(String attack, String template, String note, String reason) {
    byte[] body = template.replace("{note}", note).getBytes(UTF_8);
    PidfParser parser = new PidfParser(MAX_BYTES, MAX_DEPTH);

    PidfException e = assertThrows(PidfException.class, () -> parser.parse(body));

    assertEquals(reason.replace("{size}", String.valueOf(body.length)), e.reason(), attack);
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains(CANARY), attack + " read the file");
    }
  }
}
