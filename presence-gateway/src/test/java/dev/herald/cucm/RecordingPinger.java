package dev.herald.cucm;

import dev.herald.config.TrunkPeer;
import dev.herald.sip.ResponseCallback;
import java.util.ArrayList;
import java.util.List;

/** An {@link OptionsPinger} that sends nothing and keeps each ping's callback for the test. */
final class RecordingPinger implements OptionsPinger {
  record Sent(TrunkPeer peer, ResponseCallback callback) {}

  final List<Sent> sent = new ArrayList<>();

  @Override
  public synchronized void ping(TrunkPeer peer, ResponseCallback callback) {
    sent.add(new Sent(peer, callback));
  }

  /** The callback of the latest ping of {@code peer}. */
  synchronized ResponseCallback last(TrunkPeer peer) {
    for (int i = sent.size() - 1; i >= 0; i--) {
      if (sent.get(i).peer().equals(peer)) {
        return sent.get(i).callback();
      }
    }
    throw new AssertionError("no ping sent to " + peer);
  }

  synchronized long count(TrunkPeer peer) {
    return sent.stream().filter(s -> s.peer().equals(peer)).count();
  }
}
