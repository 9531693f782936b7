package dev.herald.cucm;

import dev.herald.config.TrunkPeer;
import dev.herald.sip.ListenPoint;
import dev.herald.sip.ResponseCallback;
import javax.sip.message.Request;

/** Sends back-end SUBSCRIBEs to trunk peers; over the SIP server in production, a fake in tests. */
public interface SubscribeSender {

  /** The listen point to send to {@code peer} from (its Contact too); null when there is none. */
  ListenPoint from(TrunkPeer peer);

  /** Sends {@code request}; {@code callback} is told once how it ended, on any thread. */
  void send(Request request, ListenPoint from, ResponseCallback callback);
}
