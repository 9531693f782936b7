package dev.herald.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnceCallbackTest {

  @Test
  void theFirstOutcomeIsHandedOverAndLaterOnesAreNot() {
    List<RequestResult> seen = new ArrayList<>();
    SipServer.OnceCallback once = new SipServer.OnceCallback(seen::add);
    assertFalse(once.done());

    once.completed(RequestResult.timeout());
    assertTrue(once.done(), "a send that fails after this must not report a second outcome");
    once.completed(RequestResult.transportError());

    assertEquals(List.of(RequestResult.timeout()), seen);
  }
}
