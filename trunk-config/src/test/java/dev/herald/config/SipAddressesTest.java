package dev.herald.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SipAddressesTest {

  /** Written, normalised; an empty second column means refused. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "sip:alice@herald.test          | sip:alice@herald.test",
        "SIP:alice@Herald.TEST          | sip:alice@herald.test",
        // RFC 3261 §19.1.4: the user part compares case-sensitively, so it is kept.
        "sip:Alice@herald.test          | sip:Alice@herald.test",
        "sip:+14155550100@herald.test   | sip:+14155550100@herald.test",
        "sip:a.b_c-d%20e@herald.test    | sip:a.b_c-d%20e@herald.test",
        "sip:alice@192.0.2.7            | sip:alice@192.0.2.7",
        "sip:alice@[2001:DB8::1]        | sip:alice@[2001:db8::1]",
        "alice@herald.test              |",
        "sips:alice@herald.test         |",
        "sip:herald.test                |",
        "sip:@herald.test               |",
        "sip:alice@                     |",
        "sip:alice@herald.test:5060     |",
        "sip:alice@herald.test;transport=tcp |",
        "sip:alice:secret@herald.test   |",
        "sip:alice@bob@herald.test      |",
        "sip:al ice@herald.test         |",
        "sip:alice%2@herald.test        |",
        "sip:alice@herald_test          |",
        "sip:alice@2001:db8::1          |",
      })
  void normalizes(String written, String normalized) {
    assertEquals(Optional.ofNullable(normalized), SipAddresses.normalize(written));
  }
}
