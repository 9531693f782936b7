package dev.herald.registrar;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.herald.concurrent.KeyedExecutor;
import dev.herald.config.RegistrarPolicy;
import dev.herald.sip.Rejection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The registrar (RFC 3261 §10.3): adds, refreshes and removes bindings, and answers where a user's
 * devices are.
 *
 * <p>Each binding expires on its own (a Caffeine entry with the binding's deadline). The bindings
 * of one address-of-record are changed only on that address's lane and published as an immutable
 * list, so {@link #lookup} reads them from any thread without a lock.
 */
public final class Registrar implements LocationService {

  /** Told when an address-of-record gains its first binding or loses its last. */
  @FunctionalInterface
  public interface RegistrationListener {
    void registrationChanged(String aor, boolean registered);
  }

  private final RegistrarPolicy policy;
  private final KeyedExecutor lanes;
  private final Ticker ticker;
  private final RegistrationListener listener;
  private final Cache<List<String>, Binding> expiry;
  private final Map<String, List<Binding>> byAor = new ConcurrentHashMap<>();

  public Registrar(
      RegistrarPolicy policy,
      KeyedExecutor lanes,
      Ticker ticker,
      Scheduler scheduler,
      Executor executor,
      RegistrationListener listener) {
    this.policy = policy;
    this.lanes = lanes;
    this.ticker = ticker;
    this.listener = listener;
    this.expiry =
        Caffeine.newBuilder()
            .ticker(ticker)
            .scheduler(scheduler)
            .executor(executor)
            .expireAfter(new BindingExpiry(ticker))
            .removalListener(
                (List<String> key, Binding b, RemovalCause cause) -> {
                  if (cause == RemovalCause.EXPIRED && b != null) {
                    lanes.execute(b.aor(), () -> expired(b));
                  }
                })
            .build();
  }

  /** Handles a REGISTER on the lane of its address-of-record; the reply is called once. */
  public void register(RegisterRequest request, RegisterReply reply) {
    lanes.execute(request.aor(), () -> registerOnLane(request, reply));
  }

  private void registerOnLane(RegisterRequest req, RegisterReply reply) {
    List<Binding> before = live(req.aor());
    if (req.wildcard()) {
      // §10.3 step 6: "*" only alone and with Expires: 0.
      if (!req.contacts().isEmpty() || req.expires() == null || req.expires() != 0) {
        reply.rejected(
            Rejection.of(400, "Bad Request (Contact * needs Expires: 0 and no other Contact)"));
        return;
      }
      for (Binding b : before) {
        if (sameCallOlderCseq(b, req)) {
          reply.rejected(outOfOrder());
          return;
        }
      }
      for (Binding b : before) {
        expiry.invalidate(key(b));
      }
      publish(req.aor(), List.of(), before);
      reply.accepted(List.of());
      return;
    }
    List<Binding> next = new ArrayList<>(before);
    long now = ticker.read();
    for (RegisterRequest.ContactEntry c : req.contacts()) {
      int expires =
          c.expires() != null
              ? c.expires()
              : req.expires() != null ? req.expires() : policy.defaultExpires();
      if (expires != 0 && expires < policy.minExpires()) {
        String min = String.valueOf(policy.minExpires());
        reply.rejected(
            Rejection.of(423, "Interval Too Brief (minimum " + min + ")", "Min-Expires", min));
        return;
      }
      expires = Math.min(expires, policy.maxExpires());
      Binding existing = find(next, c.uri());
      if (existing != null && sameCallOlderCseq(existing, req)) {
        // §10.3 step 7: same Call-ID and a CSeq that is not higher: the update fails.
        reply.rejected(outOfOrder());
        return;
      }
      if (existing != null) {
        next.remove(existing);
      }
      if (expires > 0) {
        float q = c.q() == null ? 1.0f : c.q();
        next.add(
            new Binding(
                req.aor(),
                c.uri(),
                q,
                req.callId(),
                req.cseq(),
                now + TimeUnit.SECONDS.toNanos(expires)));
      }
    }
    if (next.size() > policy.maxContactsPerAddress() && next.size() > before.size()) {
      reply.rejected(
          Rejection.of(
              503,
              "Service Unavailable (more than "
                  + policy.maxContactsPerAddress()
                  + " contacts for "
                  + req.aor()
                  + ")"));
      return;
    }
    for (Binding b : before) {
      if (!next.contains(b)) {
        expiry.invalidate(key(b));
      }
    }
    for (Binding b : next) {
      expiry.put(key(b), b);
    }
    publish(req.aor(), next, before);
    reply.accepted(sorted(next));
  }

  private static boolean sameCallOlderCseq(Binding b, RegisterRequest req) {
    return b.callId().equals(req.callId()) && req.cseq() <= b.cseq();
  }

  /**
   * RFC 3261 §10.3 step 7 says only that the request fails. The fault is the request's (a stale or
   * reordered REGISTER), not the server's, and sending it again cannot succeed: 400, not 500 (which
   * would tell clients and proxies that Herald failed, and a fuzzer that it crashed).
   */
  private static Rejection outOfOrder() {
    return Rejection.of(400, "Bad Request (CSeq not above the binding's, RFC 3261 10.3 step 7)");
  }

  private void expired(Binding b) {
    List<Binding> before = byAor.getOrDefault(b.aor(), List.of());
    if (!before.contains(b) || b.expiresAtNanos() - ticker.read() > 0) {
      return; // refreshed or removed meanwhile
    }
    List<Binding> next = new ArrayList<>(before);
    next.remove(b);
    publish(b.aor(), next, before);
  }

  /** Installs the new list (lane only) and tells the listener when registered-ness flips. */
  private void publish(String aor, List<Binding> next, List<Binding> before) {
    if (next.isEmpty()) {
      byAor.remove(aor);
    } else {
      byAor.put(aor, List.copyOf(next));
    }
    boolean was = !before.isEmpty();
    boolean is = !next.isEmpty();
    if (was != is) {
      listener.registrationChanged(aor, is);
    }
  }

  private List<Binding> live(String aor) {
    List<Binding> all = byAor.getOrDefault(aor, List.of());
    long now = ticker.read();
    List<Binding> out = new ArrayList<>(all.size());
    for (Binding b : all) {
      if (b.expiresAtNanos() - now > 0) {
        out.add(b);
      }
    }
    return out;
  }

  @Override
  public List<Binding> lookup(String aor) {
    return sorted(live(aor));
  }

  /** Seconds left of a binding, for the expires parameter of the 200 (at least 1). */
  public int secondsLeft(Binding b) {
    long left = b.expiresAtNanos() - ticker.read();
    return (int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(left + 999_999_999L));
  }

  /** Bindings over all addresses-of-record. */
  public long bindingCount() {
    return expiry.estimatedSize();
  }

  /** Runs pending expiry work now (tests call it after moving the ticker). */
  public void cleanUp() {
    expiry.cleanUp();
  }

  private static Binding find(List<Binding> bindings, String contact) {
    for (Binding b : bindings) {
      if (b.contact().equals(contact)) {
        return b;
      }
    }
    return null;
  }

  private static List<Binding> sorted(List<Binding> bindings) {
    List<Binding> out = new ArrayList<>(bindings);
    out.sort(Comparator.comparingDouble((Binding b) -> b.q()).reversed());
    return out;
  }

  private static List<String> key(Binding b) {
    return List.of(b.aor(), b.contact());
  }

  private static final class BindingExpiry implements Expiry<List<String>, Binding> {
    private final Ticker ticker;

    BindingExpiry(Ticker ticker) {
      this.ticker = ticker;
    }

    @Override
    public long expireAfterCreate(List<String> key, Binding b, long currentTime) {
      return Math.max(0, b.expiresAtNanos() - ticker.read());
    }

    @Override
    public long expireAfterUpdate(
        List<String> key, Binding b, long currentTime, long currentDuration) {
      return Math.max(0, b.expiresAtNanos() - ticker.read());
    }

    @Override
    public long expireAfterRead(
        List<String> key, Binding b, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
