package dev.herald.im.mapping;

import java.util.Objects;

/**
 * The text of one instant message as it crosses the gateway: what both sides can carry.
 *
 * @param body the message text
 * @param subject the subject, or empty
 */
public record ImText(String body, String subject) {
  public ImText {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(subject, "subject");
  }
}
