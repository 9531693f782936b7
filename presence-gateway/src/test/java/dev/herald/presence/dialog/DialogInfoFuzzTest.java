package dev.herald.presence.dialog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.herald.fixtures.fuzz.FuzzSeeds;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzz target of dialog-info (RFC 4235) parsing and composition: arbitrary bytes as a PUBLISH body
 * of the {@code dialog} package. Checked for every input:
 *
 * <ul>
 *   <li>the parser returns a document or throws {@link DialogInfoException} with a reason that fits
 *       a status line (one line, not empty), nothing else;
 *   <li>what {@link DialogInfoComposer} writes of its dialogs is a document the same parser
 *       accepts, with the same entity, full state and as many dialogs;
 *   <li>composing is a fixed point: the composition of the re-parsed composition is the same text;
 *   <li>a watcher's version set by {@link DialogInfoComposer#withVersion} reads back.
 * </ul>
 *
 * Work is bounded by the parser's limits (64 KiB, depth 16, as Herald's PUBLISH). Every build
 * replays the seeds (the SIPp scenarios' dialog-info bodies) and the inputs kept in {@code
 * DialogInfoFuzzTestInputs/}; {@code scripts/fuzz dialog} fuzzes it.
 */
class DialogInfoFuzzTest {
  private static final String ENTITY = "sip:bob@herald.test";
  private static final DialogInfoParser PARSER = new DialogInfoParser(65_536, 16);
  // A composition writes each dialog's parts once, escaped: it can outgrow its source.
  private static final DialogInfoParser REPARSER = new DialogInfoParser(1 << 22, 16);

  @MethodSource("seeds")
  @FuzzTest
  void parseAndCompose(byte[] body) {
    DialogInfo doc;
    try {
      doc = PARSER.parse(body);
    } catch (DialogInfoException e) {
      String reason = e.getMessage();
      assertFalse(reason == null || reason.isBlank(), "empty reason");
      assertTrue(reason.chars().noneMatch(c -> c == '\r' || c == '\n'), reason);
      return;
    }
    String composed = DialogInfoComposer.compose(ENTITY, doc.dialogs());
    DialogInfo again = reparse(composed);
    assertEquals(ENTITY, again.entity());
    assertTrue(again.full(), "a composition is full state");
    assertEquals(doc.dialogs().size(), again.dialogs().size(), composed);
    String recomposed = DialogInfoComposer.compose(ENTITY, again.dialogs());
    assertEquals(composed, recomposed, "composing the composition changed it");

    String versioned = DialogInfoComposer.withVersion(composed, 4_294_967_295L);
    assertEquals(again, reparse(versioned), "only the version differs");
    assertTrue(versioned.contains("version=\"4294967295\""), versioned);
  }

  private static DialogInfo reparse(String composed) {
    try {
      return REPARSER.parse(composed.getBytes(UTF_8));
    } catch (DialogInfoException e) {
      return fail(e.getMessage() + " in the composition:\n" + composed, e);
    }
  }

  @Test
  void theSeedsAreTheScenariosDialogInfoBodies() throws DialogInfoException {
    // test-fixtures' own tests see their test scenarios instead: checked here, where the seeds
    // are used
    List<byte[]> seeds = seeds().toList();
    assertTrue(seeds.size() >= 2, "only " + seeds.size() + " dialog-info seeds");
    for (byte[] seed : seeds) {
      assertFalse(PARSER.parse(seed).dialogs().isEmpty(), new String(seed, UTF_8));
    }
  }

  static Stream<byte[]> seeds() {
    return FuzzSeeds.dialogInfoDocuments();
  }
}
