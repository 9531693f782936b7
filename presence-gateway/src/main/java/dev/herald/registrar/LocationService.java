package dev.herald.registrar;

import java.util.List;

/** Where a user's devices are: what MESSAGE routing and the IM gateway ask. */
public interface LocationService {

  /** The live bindings of an address-of-record, highest q first. */
  List<Binding> lookup(String aor);

  /** Whether the address-of-record has at least one live binding. */
  default boolean isRegistered(String aor) {
    return !lookup(aor).isEmpty();
  }
}
