package dev.herald.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.Inet4Address;
import java.net.Inet6Address;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralsTest {

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1,        IPv4",
    "0.0.0.0,          IPv4",
    "255.255.255.255,  IPv4",
    "'::',             IPv6",
    "::1,              IPv6",
    "2001:db8::10,     IPv6",
    "FE80::1,          IPv6",
    "::ffff:192.0.2.1, IPv4", // IPv4-mapped: the JDK hands back the IPv4 address
  })
  void acceptsLiterals(String text, String family) {
    var address = IpLiterals.parse(text);

    assertNotNull(address, text);
    assertEquals(
        family,
        address instanceof Inet4Address ? "IPv4" : address instanceof Inet6Address ? "IPv6" : "?");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "localhost",
        "herald.test",
        "deadbeef",
        "127.0.0.256",
        "127.0.0",
        "127.0.0.1.5",
        "127.1",
        "010.0.0.1",
        "1.2.3.-4",
        " 127.0.0.1",
        "0x7f.0.0.1",
        ":::",
        "2001:db8::g",
        "fe80::1%eth0",
        "[::1]",
        "1:2:3:4:5:6:7:8:9",
        "127.0.0.1:5060",
        ".::",
      })
  void refusesEverythingElse(String text) {
    assertNull(IpLiterals.parse(text), text);
  }
}
