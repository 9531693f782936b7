package dev.herald.sip;

import javax.sip.message.Response;

/**
 * How a request Herald sent ended: a final response, a transaction timeout, or a transport error
 * (nothing could be sent).
 *
 * @param kind what happened
 * @param status the final status code; 408 for a timeout and 503 for a transport error, as RFC 3261
 *     §8.1.3.1 says a client should treat them
 * @param response the response, or null when there was none; for a 2xx to a NOTIFY that Herald sent
 *     over UDP through its own client transaction (SipServer#send, issue 7) only its status line:
 *     such a 200 is not parsed further
 */
public record RequestResult(Kind kind, int status, Response response) {

  public enum Kind {
    RESPONSE,
    TIMEOUT,
    TRANSPORT_ERROR
  }

  public static RequestResult of(Response response) {
    return new RequestResult(Kind.RESPONSE, response.getStatusCode(), response);
  }

  public static RequestResult timeout() {
    return new RequestResult(Kind.TIMEOUT, 408, null);
  }

  public static RequestResult transportError() {
    return new RequestResult(Kind.TRANSPORT_ERROR, 503, null);
  }

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  @Override
  public String toString() {
    return kind == Kind.RESPONSE ? String.valueOf(status) : kind.name().toLowerCase();
  }
}
