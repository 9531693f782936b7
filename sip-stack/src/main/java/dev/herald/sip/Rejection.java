package dev.herald.sip;

import java.util.Map;

/**
 * A request Herald refuses: the SIP status, a reason phrase that says what was wrong, and headers
 * the RFC asks for with that status (Min-Expires with 423, Retry-After with 503).
 */
public record Rejection(int status, String reason, Map<String, String> headers) {
  public Rejection {
    headers = Map.copyOf(headers);
  }

  public static Rejection of(int status, String reason) {
    return new Rejection(status, reason, Map.of());
  }

  public static Rejection of(int status, String reason, String header, String value) {
    return new Rejection(status, reason, Map.of(header, value));
  }
}
