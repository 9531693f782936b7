package dev.herald.im.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 3261 §16.7 step 6: the best final response of a fork without a 2xx. */
class BestResponseTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "'480', 480",
    "'480 404', 404", // same class: the lowest code
    "'503 486', 486", // lowest class wins
    "'408 500 603', 603", // a 6xx beats everything
    "'404 415 480', 415", // actionable 4xx first
    "'486 401', 401",
    "'503', 500", // 503 is never passed on as such
    "'503 502', 502",
    "'504 503', 500",
    "'302 404', 302"
  })
  void choose(String statuses, int best) {
    List<Integer> list = Arrays.stream(statuses.split(" ")).map(Integer::valueOf).toList();

    assertEquals(best, BestResponse.choose(list));
  }

  @Test
  void nothingToChooseFromIsAProgrammingError() {
    assertThrows(IllegalArgumentException.class, () -> BestResponse.choose(List.of()));
  }
}
