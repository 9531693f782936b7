package dev.herald.presence;

import dev.herald.sip.ListenPoint;
import dev.herald.sip.RequestResult;
import dev.herald.sip.ResponseCallback;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.sip.header.CSeqHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.message.Request;

/**
 * Captures the NOTIFYs the engine sends and leaves each one in flight until the test answers it, so
 * tests decide when and how a watcher responds.
 */
final class RecordingNotifyTransport implements NotifyTransport {
  final List<Sent> sent = new ArrayList<>();

  /** When set, every NOTIFY is answered with this status as it is sent. */
  Integer autoAnswer;

  record Sent(Request request, ResponseCallback callback) {
    String body() {
      byte[] raw = request.getRawContent();
      return raw == null ? "" : new String(raw, StandardCharsets.UTF_8);
    }

    String state() {
      return ((SubscriptionStateHeader) request.getHeader(SubscriptionStateHeader.NAME))
          .toString()
          .substring("Subscription-State: ".length())
          .trim();
    }

    long cseq() {
      return ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber();
    }

    void answer(int status) {
      callback.completed(new RequestResult(RequestResult.Kind.RESPONSE, status, null));
    }

    void timeout() {
      callback.completed(RequestResult.timeout());
    }
  }

  @Override
  public void send(Request request, ListenPoint from, ResponseCallback callback) {
    Sent s = new Sent(request, callback);
    sent.add(s);
    if (autoAnswer != null) {
      s.answer(autoAnswer);
    }
  }

  Sent last() {
    return sent.get(sent.size() - 1);
  }

  /** Answers every NOTIFY still unanswered with 200, repeatedly, until none is left. */
  void answerAll() {
    int answered = 0;
    while (answered < sent.size()) {
      sent.get(answered++).answer(200);
    }
  }
}
