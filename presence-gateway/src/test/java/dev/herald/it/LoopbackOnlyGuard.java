package dev.herald.it;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.Permission;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A security manager that permits everything except network traffic to anywhere but loopback, for
 * tests that feed Herald arbitrary bytes: a fuzzed Via, Contact or Record-Route may name any
 * address, and Herald answers and notifies whatever it names. A send or connect to another address,
 * and a name lookup other than {@code localhost} (DNS traffic), throws {@link Refused} where the
 * JDK checks it, before any packet leaves.
 */
final class LoopbackOnlyGuard extends SecurityManager {
  /** Marks the refusals, so that log lines they cause can be told from Herald's own errors. */
  static final String MARK = "loopback-only test guard";

  private static final AtomicLong REFUSALS = new AtomicLong();

  /** The refusal. */
  static final class Refused extends SecurityException {
    private static final long serialVersionUID = 1L;

    Refused(String what) {
      super(MARK + " refused " + what);
      REFUSALS.incrementAndGet();
    }
  }

  /** How many times any guard refused something so far in this JVM. */
  static long refusals() {
    return REFUSALS.get();
  }

  @Override
  public void checkPermission(Permission perm) {
    // everything else is allowed
  }

  @Override
  public void checkPermission(Permission perm, Object context) {
    // everything else is allowed
  }

  @Override
  public void checkConnect(String host, int port) {
    if (port == -1) {
      // A lookup: a literal needs no traffic; localhost is /etc/hosts; anything else asks DNS.
      if (host.equalsIgnoreCase("localhost") || isLiteral(host)) {
        return;
      }
      throw new Refused("the name lookup of " + host);
    }
    if (!isLoopbackLiteral(host)) {
      throw new Refused("traffic to " + host + ":" + port);
    }
  }

  @Override
  public void checkConnect(String host, int port, Object context) {
    checkConnect(host, port);
  }

  @Override
  public void checkMulticast(InetAddress address) {
    throw new Refused("multicast to " + address);
  }

  @Override
  public void checkMulticast(InetAddress address, byte ttl) {
    checkMulticast(address);
  }

  private static boolean isLiteral(String host) {
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return h.matches("[0-9.]+") || h.contains(":");
  }

  private static boolean isLoopbackLiteral(String host) {
    if (!isLiteral(host)) {
      return false;
    }
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Whether {@code t} or one of its causes is a refusal of this guard. */
  static boolean causedBy(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof Refused || String.valueOf(c.getMessage()).contains(MARK)) {
        return true;
      }
    }
    return false;
  }
}
