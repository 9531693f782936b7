package dev.herald.im.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The examples of XEP-0106 §5 (Examples), both ways, plus the backslash rule of §4.2. */
class XmppZeroOneSixTest {

  @ParameterizedTest(name = "{0} <-> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          space cadet         | space\\20cadet
          call me "ishmael"   | call\\20me\\20\\22ishmael\\22
          at&t guy            | at\\26t\\20guy
          d'artagnan          | d\\27artagnan
          /.fanboy            | \\2f.fanboy
          ::foo::             | \\3a\\3afoo\\3a\\3a
          <foo>               | \\3cfoo\\3e
          user@host           | user\\40host
          c:\\net             | c\\3a\\net
          c:\\\\net           | c\\3a\\\\net
          c:\\cool stuff      | c\\3a\\cool\\20stuff
          c:\\5commas         | c\\3a\\5c5commas
          plain               | plain
          """)
  void escapesAndUnescapes(String unescaped, String escaped) {
    assertEquals(escaped, Xep0106.escape(unescaped));
    assertEquals(unescaped, Xep0106.unescape(escaped));
  }
}
