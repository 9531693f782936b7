package dev.herald.directory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Fault injection: a TCP proxy on loopback that forwards to a local port until {@link #freeze()},
 * after which it still accepts connections but drops every byte, as a hung server would. Lets a
 * test show that a client gives up after its timeout instead of waiting forever.
 */
final class FreezableTcpProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "freezable-proxy");
            thread.setDaemon(true);
            return thread;
          });
  private volatile boolean frozen;

  private FreezableTcpProxy(ServerSocket listener, int targetPort) {
    this.listener = listener;
    this.targetPort = targetPort;
  }

  /** A proxy to {@code targetPort} on loopback, listening on an ephemeral loopback port. */
  static FreezableTcpProxy start(int targetPort) throws IOException {
    FreezableTcpProxy proxy =
        new FreezableTcpProxy(
            new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), targetPort);
    proxy.threads.execute(proxy::acceptLoop);
    return proxy;
  }

  int port() {
    return listener.getLocalPort();
  }

  /** From now on nothing is forwarded in either direction, on old and new connections alike. */
  void freeze() {
    frozen = true;
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    threads.shutdownNow();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        sockets.add(client);
        if (frozen) {
          threads.execute(() -> pump(client, null));
          continue;
        }
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(server);
        threads.execute(() -> pump(client, server));
        threads.execute(() -> pump(server, client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** Copies {@code from} to {@code to} until either closes; drops the bytes while frozen. */
  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[8_192];
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to == null ? null : to.getOutputStream();
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        if (!frozen && out != null) {
          out.write(buffer, 0, n);
          out.flush();
        }
      }
    } catch (IOException e) {
      // one side closed: the other follows when its own pump ends
    }
  }
}
