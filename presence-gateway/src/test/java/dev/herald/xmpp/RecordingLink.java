package dev.herald.xmpp;

import dev.herald.im.xmpp.XmlElement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A component connection that records what is sent; up or down as the test sets it. */
final class RecordingLink implements ComponentLink {
  final List<XmlElement> sent = new ArrayList<>();
  boolean up = true;

  @Override
  public synchronized boolean send(XmlElement stanza) {
    if (!up) {
      return false;
    }
    sent.add(stanza);
    return true;
  }

  @Override
  public boolean isUp() {
    return up;
  }

  @Override
  public Duration retryAfter() {
    return up ? Duration.ZERO : Duration.ofSeconds(7);
  }

  /** The presence stanzas sent, each as "type from to" (type "available" when absent). */
  synchronized List<String> summary() {
    return sent.stream()
        .map(
            s ->
                s.attribute("type").orElse("available")
                    + " "
                    + s.attribute("from").orElse("")
                    + " "
                    + s.attribute("to").orElse(""))
        .toList();
  }

  synchronized XmlElement last() {
    return sent.get(sent.size() - 1);
  }

  synchronized void clear() {
    sent.clear();
  }
}
