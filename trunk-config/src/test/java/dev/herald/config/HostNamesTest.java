package dev.herald.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostNamesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"herald.test", "localhost", "Presence.Example.COM", "a-b.c1", "3com.example", "x"})
  void acceptsHostNames(String name) {
    assertTrue(HostNames.isValid(name), name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "herald_test",
        "-herald.test",
        "herald-.test",
        "herald..test",
        ".herald.test",
        "herald.test.",
        "her ald.test",
        "192.0.2.1",
        "example.123",
        "h\u00e9rald.test",
        "sip:herald.test",
      })
  void refusesOthers(String name) {
    assertFalse(HostNames.isValid(name), name);
  }

  @Test
  void limitsLabelAndNameLength() {
    assertTrue(HostNames.isValid("a".repeat(63) + ".test"));
    assertFalse(HostNames.isValid("a".repeat(64) + ".test"));

    String label = "a".repeat(63);
    String name253 = label + "." + label + "." + label + "." + "a".repeat(61);
    assertTrue(HostNames.isValid(name253));
    assertFalse(HostNames.isValid(name253 + "a"));
  }
}
