package dev.herald.sip.internal;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/*
 * Design note. JAIN-SIP 1.3.0-91 reads each TCP connection on a thread of its own, blocked in
 * read(), with no idle timeout (its RELIABLE_CONNECTION_KEEP_ALIVE_TIMEOUT is only re-armed by
 * CRLF keep-alives, never by messages, and never armed for a client that sends none). So a peer
 * that vanishes without a FIN holds a thread, a socket and a slot of MAX_CONNECTIONS for ever.
 *
 * Herald's TCP processor accepts connections as TrackedSockets: their streams note the time of
 * every byte read or written, RFC 5626 keep-alives (CRLFCRLF) and their CRLF answers included.
 * A sweep closes the socket of a connection idle for longer than the timeout; the reader thread
 * then fails its read and runs JAIN-SIP's own clean-up (connection count, I/O handler cache, the
 * processor's channel table), so nothing is left behind and the thread ends.
 *
 * A connection that carried a REGISTER or SUBSCRIBE that was accepted (2xx) is held until that
 * registration or subscription would expire: Herald may need it to reach the client (NAT), and a
 * refresh over it moves the time on. Holding is by peer address and port, the connection's key.
 */

/** The TCP connections Herald accepted, with when each last carried a byte. Thread-safe. */
public final class StreamConnections {
  private final LongSupplier clock;
  private final Map<InetSocketAddress, TrackedSocket> open = new ConcurrentHashMap<>();

  /**
   * @param clock nanoseconds, as {@link System#nanoTime()}
   */
  public StreamConnections(LongSupplier clock) {
    this.clock = clock;
  }

  /** A server socket whose accepted connections are tracked here. */
  public ServerSocket serverSocket(int port, int backlog, InetAddress bindAddress)
      throws IOException {
    return new TrackingServerSocket(port, backlog, bindAddress);
  }

  /** Connections open now. */
  public int openCount() {
    return open.size();
  }

  /**
   * Keeps the connection from {@code peer} open at least {@code seconds} from now, idle or not; a
   * shorter hold than one already given changes nothing. Nothing happens if no such connection is
   * open.
   */
  public void hold(InetSocketAddress peer, long seconds) {
    TrackedSocket s = open.get(peer);
    if (s != null) {
      long until = clock.getAsLong() + seconds * 1_000_000_000L;
      s.heldUntil.accumulateAndGet(until, (a, b) -> b - a > 0 ? b : a);
    }
  }

  /**
   * Closes every connection that has carried nothing for {@code idleNanos} and is not held.
   *
   * @return how many were closed
   */
  public int closeIdle(long idleNanos) {
    long now = clock.getAsLong();
    int closed = 0;
    for (TrackedSocket s : open.values()) {
      if (now - s.lastActivity - idleNanos > 0 && now - s.heldUntil.get() > 0) {
        try {
          s.close();
        } catch (IOException e) {
          // Closing is all that was wanted; the reader thread sees the socket closed either way.
        }
        closed++;
      }
    }
    return closed;
  }

  /** Accepts connections as {@link TrackedSocket}s. */
  private final class TrackingServerSocket extends ServerSocket {
    TrackingServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
      super(port, backlog, bindAddress);
    }

    @Override
    public Socket accept() throws IOException {
      TrackedSocket s = new TrackedSocket();
      implAccept(s);
      s.lastActivity = clock.getAsLong();
      s.peer = (InetSocketAddress) s.getRemoteSocketAddress();
      open.put(s.peer, s);
      return s;
    }
  }

  /** A socket whose streams note when they last carried a byte, and that leaves the table. */
  private final class TrackedSocket extends Socket {
    final AtomicLong heldUntil = new AtomicLong();
    volatile long lastActivity;
    volatile InetSocketAddress peer;
    private InputStream in;
    private OutputStream out;

    TrackedSocket() {
      heldUntil.set(clock.getAsLong());
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (in == null) {
        in =
            new FilterInputStream(super.getInputStream()) {
              @Override
              public int read() throws IOException {
                int b = super.read();
                touch();
                return b;
              }

              @Override
              public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                touch();
                return n;
              }
            };
      }
      return in;
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
      if (out == null) {
        out =
            new FilterOutputStream(super.getOutputStream()) {
              @Override
              public void write(int b) throws IOException {
                out().write(b);
                touch();
              }

              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                out().write(b, off, len);
                touch();
              }

              private OutputStream out() {
                return this.out;
              }
            };
      }
      return out;
    }

    private void touch() {
      lastActivity = clock.getAsLong();
    }

    @Override
    public void close() throws IOException {
      InetSocketAddress p = peer;
      if (p != null) {
        open.remove(p, this);
      }
      super.close();
    }
  }
}
