package dev.herald.sip;

/**
 * Told once how a request sent with {@link SipServer#send} ended. Called on a JAIN-SIP thread (or
 * on the sending thread when nothing could be sent): hand real work to another executor.
 */
@FunctionalInterface
public interface ResponseCallback {
  void completed(RequestResult result);
}
