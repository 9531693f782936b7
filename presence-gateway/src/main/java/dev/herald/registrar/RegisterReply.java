package dev.herald.registrar;

import dev.herald.sip.Rejection;
import java.util.List;

/** How the registrar answers a REGISTER. Exactly one method is called, once. */
public interface RegisterReply {
  /** 200 listing every current binding of the address-of-record (RFC 3261 §10.3 step 8). */
  void accepted(List<Binding> current);

  void rejected(Rejection rejection);
}
