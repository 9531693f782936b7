package dev.herald.sip;

import dev.herald.sip.dialog.NotifyRequest;
import dev.herald.sip.internal.HeraldSipStack;
import dev.herald.sip.internal.Slf4jServerLogger;
import dev.herald.sip.internal.Slf4jStackLogger;
import dev.herald.sip.internal.StreamConnections;
import dev.herald.sip.internal.UdpClientTransactions;
import dev.herald.sip.internal.UdpServerTransactions;
import dev.herald.sip.internal.ValidatingParserFactory;
import gov.nist.core.net.SslNetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.TransactionExt;
import gov.nist.javax.sip.stack.CompactDatagramProcessorFactory;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.text.ParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.SipProvider;
import javax.sip.header.UserAgentHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Herald's SIP endpoint: one JAIN-SIP stack, a provider per listen point, and the method table.
 * Build it with {@link #builder}, register a handler per method, then {@link Builder#start()}.
 */
public final class SipServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SipServer.class);
  private static final AtomicInteger STACK_COUNTER = new AtomicInteger();

  private final SipServerSettings settings;
  private final SipStackImpl stack;
  private final Map<ListenPoint, SipProvider> providers;
  private final UserAgentHeader userAgent;
  private final String userAgentLine;
  private final Map<ListenPoint, String> viaHeads = new ConcurrentHashMap<>();
  private final List<StreamConnections> tcpConnections;
  private final UdpClientTransactions udpTransactions;
  private final Map<ListenPoint, DatagramSocket> udpSockets;
  private final long idleTimeoutMillis;
  private ScheduledExecutorService idleSweeper; // set once started, read in close()
  private volatile boolean stopped;

  /** Herald's own UDP server transactions; set by the builder once made. */
  private volatile UdpServerTransactions udpServerTransactions;

  /**
   * Server transactions held at most, JAIN-SIP's table and Herald's own UDP table each (at 5,000
   * new requests/s, 64*T1 = 32 s of them is 160,000).
   */
  static final int MAX_SERVER_TRANSACTIONS = 200_000;

  /** Set by the builder once made (it needs the started stack's queues). */
  private volatile OverloadGuard overloadGuard;

  private SipServer(
      SipServerSettings settings,
      SipStackImpl stack,
      Map<ListenPoint, SipProvider> providers,
      long idleTimeoutMillis,
      UdpClientTransactions udpTransactions,
      Map<ListenPoint, DatagramSocket> udpSockets) {
    this.settings = settings;
    this.stack = stack;
    this.providers = providers;
    this.udpTransactions = udpTransactions;
    this.udpSockets = udpSockets;
    this.tcpConnections = CompactDatagramProcessorFactory.tcpConnections(stack);
    this.idleTimeoutMillis = idleTimeoutMillis;
    try {
      this.userAgent = SipMessages.HEADERS.createUserAgentHeader(List.of(settings.product()));
      this.userAgentLine = userAgent.toString();
    } catch (ParseException e) {
      throw new IllegalArgumentException("bad product name: " + settings.product(), e);
    }
  }

  public static Builder builder(SipServerSettings settings) {
    return new Builder(settings);
  }

  public SipServerSettings settings() {
    return settings;
  }

  /** The listen points in the order they were configured. */
  public List<ListenPoint> listenPoints() {
    return settings.listenPoints();
  }

  /**
   * Sends an out-of-transaction request from the given listen point, through a new JAIN-SIP client
   * transaction: retransmissions and Timer F are the stack's. (A NOTIFY over UDP to an IP address
   * goes through Herald's own client transaction instead: {@link #send(NotifyRequest,
   * ResponseCallback)}.) The callback is told exactly once how it ended.
   */
  public void send(Request request, ListenPoint from, ResponseCallback callback) {
    Objects.requireNonNull(callback, "callback");
    OnceCallback once = new OnceCallback(callback);
    SipProvider provider = providers.get(from);
    if (provider == null || stopped) {
      LOG.warn(
          "cannot send {} to {}: {}",
          request.getMethod(),
          request.getRequestURI(),
          stopped ? "SIP server stopped" : "no listen point " + from);
      once.completed(RequestResult.transportError());
      return;
    }
    try {
      ViaHeader via =
          SipMessages.HEADERS.createViaHeader(from.address(), from.port(), from.transport(), null);
      via.setRPort();
      request.setHeader(via);
      if (request.getHeader(UserAgentHeader.NAME) == null) {
        request.setHeader(userAgent);
      }
      ClientTransaction tx = provider.getNewClientTransaction(request);
      tx.setApplicationData(once);
      ((TransactionExt) tx).setTimerT4(COMPLETED_LINGER_MS);
      tx.sendRequest();
    } catch (Exception e) {
      if (once.done()) {
        // Its outcome is already known: over TCP the response can end the transaction on the
        // reading thread while JAIN-SIP's sendRequest is still starting its timer on this one,
        // which then throws (a NullPointerException from its timer). The callback had the outcome.
        LOG.debug(
            "{} to {} ended while JAIN-SIP was still sending it: {}",
            request.getMethod(),
            request.getRequestURI(),
            e.toString());
        return;
      }
      LOG.warn(
          "could not send {} to {}: {}",
          request.getMethod(),
          request.getRequestURI(),
          e.toString());
      once.completed(RequestResult.transportError());
    }
  }

  /**
   * Sends a NOTIFY in a subscription dialog from the dialog's listen point: written as text and
   * sent through Herald's own client transaction when it goes over UDP to an IP address, else built
   * as JAIN-SIP objects and sent as {@link #send(Request, ListenPoint, ResponseCallback)} sends.
   * The callback is told exactly once how it ended.
   */
  public void send(NotifyRequest notify, ResponseCallback callback) {
    ListenPoint from = notify.listenPoint();
    DatagramSocket socket = udpSockets.get(from);
    InetSocketAddress to = notify.udpNextHop();
    if (socket == null || to == null || stopped) {
      Request request;
      try {
        request = notify.toRequest();
      } catch (ParseException | InvalidArgumentException | RuntimeException e) {
        LOG.warn("could not build {}: {}", notify, e.toString());
        Objects.requireNonNull(callback, "callback").completed(RequestResult.transportError());
        return;
      }
      send(request, from, callback);
      return;
    }
    OnceCallback once = new OnceCallback(Objects.requireNonNull(callback, "callback"));
    String branch = udpTransactions.newBranch();
    byte[] bytes = notify.encode(viaLine(from, branch), userAgentLine);
    if (Slf4jServerLogger.tracing()) {
      Slf4jServerLogger.sent(bytes, from.address() + ":" + from.port(), to);
    }
    udpTransactions.start(branch, notify.method(), bytes, to, socket, once);
  }

  /** The Via of a request Herald sends from a UDP listen point, as JAIN-SIP encodes it. */
  private String viaLine(ListenPoint from, String branch) {
    String head = viaHeads.get(from);
    if (head == null) {
      try {
        ViaHeader via =
            SipMessages.HEADERS.createViaHeader(
                from.address(), from.port(), from.transport(), null);
        via.setRPort();
        String line = via.toString(); // "Via: SIP/2.0/UDP host:port;rport\r\n"
        head = line.substring(0, line.length() - 2) + ";branch=";
      } catch (ParseException | InvalidArgumentException e) {
        throw new IllegalStateException("listen point cannot be a Via: " + from, e);
      }
      viaHeads.put(from, head);
    }
    return head + branch + "\r\n";
  }

  /**
   * How long a client transaction over UDP stays Completed after its final response (Timer K, RFC
   * 3261 §17.1.2.2; T4 = 5 s by default), in ms: one tick of the stack's 500 ms timer.
   *
   * <p>The Completed state only absorbs retransmissions of the final response. Herald's core drops
   * a response that matches no transaction (HeraldSipListener#processResponse), so a retransmitted
   * 200 that arrives after this is dropped all the same: nothing a peer sees changes. What changes
   * is memory: at 5,000 NOTIFY/s, 5 s of Completed transactions were ~25,000 live objects graphs
   * that every young collection copied (pauses of 60-190 ms; with 500 ms, 20-60 ms, BENCHMARKS.md).
   */
  static final int COMPLETED_LINGER_MS = 500;

  /**
   * Closes idle TCP connections ({@link TcpLimits#idleTimeoutMillis()}), looking a few times per
   * timeout (at most every 10 s), so a connection goes between the timeout and a quarter more.
   */
  private synchronized void startSweepingIdleConnections() {
    if (idleTimeoutMillis <= 0 || tcpConnections.isEmpty() || stopped) {
      return;
    }
    ScheduledExecutorService sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, stack.getStackName() + "-tcp-idle");
              t.setDaemon(true);
              return t;
            });
    long period = Math.max(50, Math.min(idleTimeoutMillis / 4, 10_000));
    long idleNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis);
    sweeper.scheduleWithFixedDelay(
        () -> {
          int closed = 0;
          for (StreamConnections c : tcpConnections) {
            closed += c.closeIdle(idleNanos);
          }
          if (closed > 0) {
            LOG.info(
                "closed {} TCP connection(s) idle for {} s", closed, idleTimeoutMillis / 1000.0);
          }
        },
        period,
        period,
        TimeUnit.MILLISECONDS);
    idleSweeper = sweeper;
  }

  /** Keeps the TCP connection from {@code address}:{@code port} open for {@code seconds}. */
  void holdConnection(String address, int port, long seconds) {
    InetSocketAddress peer = new InetSocketAddress(address, port);
    for (StreamConnections c : tcpConnections) {
      c.hold(peer, seconds);
    }
  }

  /** TCP connections accepted and open now, for statistics. */
  public int openTcpConnections() {
    int n = 0;
    for (StreamConnections c : tcpConnections) {
      n += c.openCount();
    }
    return n;
  }

  /** The SIP layer's counters now, for statistics. */
  /** Requests refused for overload on the UDP receive thread, before being parsed. */
  long refusedAtIntake() {
    OverloadGuard guard = overloadGuard;
    return guard == null ? 0 : guard.refusedAtIntake();
  }

  public SipStats stats() {
    UdpServerTransactions own = udpServerTransactions;
    return new SipStats(
        stack.getServerTransactionTableSize() + (own == null ? 0 : own.size()),
        stack.getClientTransactionTableSize() + udpTransactions.size(),
        stack.getDialogs().size(),
        openTcpConnections());
  }

  /** TCP connections in JAIN-SIP's own channel tables, for tests. */
  int tcpChannelCount() {
    return CompactDatagramProcessorFactory.tcpChannelCount(stack);
  }

  /** Client transactions JAIN-SIP holds now (any state), for tests and statistics. */
  int clientTransactionCount() {
    return stack.getClientTransactionTableSize();
  }

  /** Herald's own UDP server transactions held now (answered or not), for tests. */
  int ownServerTransactionCount() {
    UdpServerTransactions own = udpServerTransactions;
    return own == null ? 0 : own.size();
  }

  /** Herald's own UDP client transactions waiting for a final response now, for tests. */
  int ownTransactionCount() {
    return udpTransactions.size();
  }

  /** Stops the stack and closes every socket. Requests in flight are abandoned. */
  @Override
  public void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    synchronized (this) {
      if (idleSweeper != null) {
        idleSweeper.shutdownNow();
      }
    }
    udpTransactions.close();
    UdpServerTransactions own = udpServerTransactions;
    if (own != null) {
      own.close();
    }
    stack.stop();
    LOG.info("SIP server stopped");
  }

  /** Configures and starts a {@link SipServer}. */
  public static final class Builder {
    private final SipServerSettings settings;
    private final Map<String, RequestHandler> handlers = new LinkedHashMap<>();
    private final Set<String> accept = new LinkedHashSet<>();
    private final Set<String> allowEvents = new LinkedHashSet<>();
    private final Set<String> supported = new LinkedHashSet<>();
    private OverloadLimits overloadLimits = OverloadLimits.NONE;
    private java.util.function.LongSupplier backlog = () -> 0;
    private RateLimit rateLimit = RateLimit.NONE;
    private TcpLimits tcpLimits = TcpLimits.DEFAULT;
    private java.util.function.Predicate<String> rateExempt = source -> true;
    private Authentication authentication;

    private Builder(SipServerSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Handles a method. OPTIONS, CANCEL and ACK are the SIP layer's own. */
    public Builder handle(String method, RequestHandler handler) {
      String m = method.toUpperCase(Locale.ROOT);
      if (m.equals(Request.OPTIONS) || m.equals(Request.ACK) || m.equals(Request.CANCEL)) {
        throw new IllegalArgumentException(m + " is handled by the SIP layer itself");
      }
      if (handlers.putIfAbsent(m, Objects.requireNonNull(handler)) != null) {
        throw new IllegalArgumentException("a handler for " + m + " is already registered");
      }
      return this;
    }

    /** A body type Herald accepts, listed in {@code Accept} of the OPTIONS answer. */
    public Builder accept(String contentType) {
      accept.add(contentType);
      return this;
    }

    /** An event package Herald serves, listed in {@code Allow-Events}. */
    public Builder allowEvent(String eventPackage) {
      allowEvents.add(eventPackage);
      return this;
    }

    /**
     * An option tag Herald supports, listed in {@code Supported}; any other in Require gets 420.
     */
    public Builder supported(String optionTag) {
      supported.add(optionTag);
      return this;
    }

    /**
     * Refuses new out-of-dialog requests with 503 and Retry-After while Herald is overloaded: the
     * UDP request datagrams waiting to be parsed (responses waiting are not counted), or {@code
     * backlog} (the application's queued work), above their limits. Without this call nothing is
     * refused for load.
     */
    public Builder overload(OverloadLimits limits, java.util.function.LongSupplier backlog) {
      this.overloadLimits = Objects.requireNonNull(limits);
      this.backlog = Objects.requireNonNull(backlog);
      return this;
    }

    /**
     * Limits the requests each source address may send ({@link RateLimit}); sources {@code exempt}
     * accepts (an IP address in text) are not counted. Without this call there is no limit.
     */
    public Builder rateLimit(RateLimit limit, java.util.function.Predicate<String> exempt) {
      this.rateLimit = Objects.requireNonNull(limit);
      this.rateExempt = Objects.requireNonNull(exempt);
      return this;
    }

    /** Bounds on TCP and TLS connections ({@link TcpLimits#DEFAULT} without this call). */
    public Builder tcp(TcpLimits limits) {
      this.tcpLimits = Objects.requireNonNull(limits);
      return this;
    }

    /** Authenticates requests of the given methods (none without this call). */
    public Builder authentication(Authentication authentication) {
      this.authentication = Objects.requireNonNull(authentication);
      return this;
    }

    /**
     * Binds every listen point and starts dispatching. Fails, binding nothing that stays open, when
     * a socket cannot be bound.
     */
    public SipServer start() throws SipStartException {
      if (settings.tls().isPresent()) {
        TlsStores.check(settings.tls().get());
      }
      Properties p = stackProperties(settings, tcpLimits);
      SipStackImpl stack;
      try {
        stack = new HeraldSipStack(p);
      } catch (Exception e) {
        throw new SipStartException("cannot create the SIP stack: " + e.getMessage(), e);
      } finally {
        // The stack has built its SSL context; the passwords need not stay in a table it keeps.
        p.remove(KEY_STORE_PASSWORD);
        p.remove(TRUST_STORE_PASSWORD);
      }
      if (settings.tls().isPresent() && !(stack.getNetworkLayer() instanceof SslNetworkLayer)) {
        // JAIN-SIP logs a failed SSL set-up and carries on without TLS; Herald does not.
        stack.stop();
        throw new SipStartException(
            "JAIN-SIP could not set up TLS with " + settings.tls().get().keystore(), null);
      }
      Map<ListenPoint, SipProvider> providers = new LinkedHashMap<>();
      Map<SipProvider, ListenPoint> byProvider = new LinkedHashMap<>();
      try {
        for (ListenPoint lp : settings.listenPoints()) {
          ListeningPoint jlp = stack.createListeningPoint(lp.address(), lp.port(), lp.transport());
          SipProvider provider = stack.createSipProvider(jlp);
          providers.put(lp, provider);
          byProvider.put(provider, lp);
        }
        Map<ListenPoint, DatagramSocket> udpSockets = new LinkedHashMap<>();
        for (ListenPoint lp : providers.keySet()) {
          if (lp.transport().equals("udp")) {
            DatagramSocket socket =
                CompactDatagramProcessorFactory.udpSocket(
                    stack, InetAddress.getByName(lp.address()), lp.port());
            if (socket != null) {
              udpSockets.put(lp, socket);
            }
          }
        }
        UdpClientTransactions own = new UdpClientTransactions(stack.getStackName());
        ((HeraldSipStack) stack).ownTransactions(own);
        SipServer server =
            new SipServer(
                settings,
                stack,
                Collections.unmodifiableMap(providers),
                tcpLimits.idleTimeoutMillis(),
                own,
                Map.copyOf(udpSockets));
        OverloadGuard overloadGuard =
            new OverloadGuard(
                overloadLimits, CompactDatagramProcessorFactory.queuedRequests(stack), backlog);
        ((HeraldSipStack) stack)
            .intakeRefusal(
                (data, offset, length, from, port) ->
                    overloadGuard.intakeRefusal(
                        data, offset, length, from, port, settings.product()));
        server.overloadGuard = overloadGuard;
        HeraldSipListener listener =
            new HeraldSipListener(
                settings,
                Map.copyOf(handlers),
                List.copyOf(accept),
                List.copyOf(allowEvents),
                List.copyOf(supported),
                Map.copyOf(byProvider),
                authentication,
                overloadGuard,
                new SourceRateLimiter(
                    rateLimit,
                    rateExempt,
                    com.github.benmanes.caffeine.cache.Ticker.systemTicker()),
                server::holdConnection);
        for (SipProvider provider : providers.values()) {
          provider.addSipListener(listener);
        }
        UdpServerTransactions ownServer =
            new UdpServerTransactions(stack.getStackName(), MAX_SERVER_TRANSACTIONS);
        ((HeraldSipStack) stack)
            .ownServerTransactions(
                ownServer,
                (request, provider, tx) -> listener.processOwn(request, provider, tx, ownServer));
        server.udpServerTransactions = ownServer;
        stack.start();
        server.startSweepingIdleConnections();
        LOG.info(
            "SIP server listening on {} for domains {}",
            settings.listenPoints(),
            settings.domains());
        return server;
      } catch (Exception e) {
        stack.stop();
        throw new SipStartException(
            "cannot listen on " + describe(providers.size()) + ": " + e.getMessage(), e);
      }
    }

    private String describe(int boundSoFar) {
      List<ListenPoint> lps = settings.listenPoints();
      return boundSoFar < lps.size() ? lps.get(boundSoFar).toString() : lps.toString();
    }
  }

  /**
   * The JAIN-SIP properties, each set on purpose (FIELD-NOTES, "JAIN-SIP RI"); defaults left to the
   * stack are the ones that suit Herald as they are.
   */
  static Properties stackProperties(SipServerSettings settings) {
    return stackProperties(settings, TcpLimits.DEFAULT);
  }

  static Properties stackProperties(SipServerSettings settings, TcpLimits tcp) {
    Properties p = new Properties();
    // Unset, both are unlimited: a connection per thread without bound, and a sender that trickles
    // a message byte by byte holds its thread for ever.
    p.setProperty("gov.nist.javax.sip.MAX_CONNECTIONS", String.valueOf(tcp.maxConnections()));
    p.setProperty("gov.nist.javax.sip.READ_TIMEOUT", String.valueOf(tcp.readTimeoutMillis()));
    p.setProperty("javax.sip.STACK_NAME", "herald-" + STACK_COUNTER.incrementAndGet());
    // Herald keeps its own dialogs (dev.herald.sip.dialog): cheaper, and NOTIFY CSeq is ours.
    p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
    // Unset would mean a new thread per UDP datagram.
    p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", String.valueOf(settings.threadPoolSize()));
    p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
    p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", String.valueOf(settings.maxMessageSize()));
    // Above 80% of these the stack drops requests silently; fan-out keeps tens of thousands of
    // transactions alive for Timer J/K, so the bounds are high and overload control is Herald's.
    p.setProperty(
        "gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", String.valueOf(MAX_SERVER_TRANSACTIONS));
    p.setProperty("gov.nist.javax.sip.MAX_CLIENT_TRANSACTIONS", "200000");
    // Aggressive: a transaction drops its parsed request once it has completed. "Normal" also
    // encodes that request to bytes then and parses it again when the transaction ends (Timer J/K),
    // on the stack's single timer thread: 6,000 encodes and 5,000 parses a second at 1,000
    // PUBLISH/s
    // for nothing, as Herald never asks an ended transaction for its request.
    p.setProperty("gov.nist.javax.sip.RELEASE_REFERENCES_STRATEGY", "Aggressive");
    // UDP datagrams queued in arrays of their own size, not 64 KiB each (see the class).
    p.setProperty(
        "gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY",
        CompactDatagramProcessorFactory.class.getName());
    // JAIN-SIP's parser with MessageValidation on the raw bytes (see the class).
    p.setProperty(
        "gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", ValidatingParserFactory.class.getName());
    // One thread drains each UDP socket; with the kernel's default 208 KiB buffer a burst of
    // fan-out answers overflowed it and datagrams were dropped (scripts/bench/fanout: 16,890
    // dropped at 1,000 PUBLISH/s; none with 4 MiB). The kernel caps this at net.core.rmem_max.
    p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", String.valueOf(4 << 20));
    p.setProperty("gov.nist.javax.sip.SEND_UDP_BUFFER_SIZE", String.valueOf(4 << 20));
    // A NOTIFY to Herald that matches no dialog reaches the listener, which answers it.
    p.setProperty("gov.nist.javax.sip.DELIVER_UNSOLICITED_NOTIFY", "true");
    p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
    p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
    p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "true");
    p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "16");
    // TLS, set even without a tls listen point so that no socket ever gets JAIN-SIP's defaults
    // (TLSv1 to 1.2 with RSA key exchange, 3DES and anonymous suites). The property applies to
    // server sockets too, despite its name.
    p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", String.join(",", TLS_PROTOCOLS));
    p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", String.join(",", TLS_CIPHER_SUITES));
    settings.tls().ifPresent(tls -> tlsProperties(tls, p));
    return p;
  }

  /** TLS 1.3 and 1.2 only (RFC 8996 deprecates 1.0 and 1.1). */
  static final List<String> TLS_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /**
   * Forward-secret AEAD suites only: the TLS 1.3 suites, and for TLS 1.2 ECDHE with AES-GCM or
   * ChaCha20-Poly1305 (the RFC 9325 §4.2 recommendations), for ECDSA and RSA certificates.
   */
  static final List<String> TLS_CIPHER_SUITES =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private static final String KEY_STORE_PASSWORD = "javax.net.ssl.keyStorePassword";
  private static final String TRUST_STORE_PASSWORD = "javax.net.ssl.trustStorePassword";

  /**
   * The stores and client authentication. JAIN-SIP 1.3.0-91 reads the javax.net.ssl names as
   * properties of the stack (SipStackImpl, then SslNetworkLayer), not as system properties, so two
   * stacks in one JVM may use different stores. Its passwords are Strings there.
   */
  private static void tlsProperties(SipTlsSettings tls, Properties p) {
    p.setProperty("javax.net.ssl.keyStore", tls.keystore().toString());
    p.setProperty(KEY_STORE_PASSWORD, new String(tls.keystorePassword()));
    p.setProperty("javax.net.ssl.keyStoreType", TlsStores.TYPE);
    // Unset, JAIN-SIP would trust the keystore itself; with no truststore that is what NONE gets,
    // and it only matters for connections Herald opens.
    if (tls.truststore() != null) {
      p.setProperty("javax.net.ssl.trustStore", tls.truststore().toString());
      p.setProperty(TRUST_STORE_PASSWORD, new String(tls.truststorePassword()));
      p.setProperty("javax.net.ssl.trustStoreType", TlsStores.TYPE);
    }
    // Disabled, not unset: unset (Default) makes TLSMessageChannel demand a client certificate.
    p.setProperty(
        "gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE",
        switch (tls.clientAuth()) {
          case NONE -> "Disabled";
          case WANT -> "Want";
          case NEED -> "Enabled";
        });
    // A peer that opens a connection and never finishes the handshake is dropped (slow-loris).
    p.setProperty("gov.nist.javax.sip.SSL_HANDSHAKE_TIMEOUT", "10000");
    // No renegotiation after the handshake (TLS 1.2; TLS 1.3 has none).
    p.setProperty("gov.nist.javax.sip.SSL_RENEGOTIATION_ENABLED", "false");
  }

  /** A listen point could not be bound, or the stack would not start. */
  public static final class SipStartException extends Exception {
    private static final long serialVersionUID = 1L;

    SipStartException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Lets a {@link ResponseCallback} run once, whatever the stack reports after. */
  static final class OnceCallback implements ResponseCallback {
    private final java.util.concurrent.atomic.AtomicReference<ResponseCallback> target;

    OnceCallback(ResponseCallback target) {
      this.target = new java.util.concurrent.atomic.AtomicReference<>(target);
    }

    /** Whether the outcome has been handed over already. */
    boolean done() {
      return target.get() == null;
    }

    @Override
    public void completed(RequestResult result) {
      ResponseCallback cb = target.getAndSet(null);
      if (cb != null) {
        try {
          cb.completed(result);
        } catch (RuntimeException e) {
          LOG.error("response callback failed on {}", result, e);
        }
      }
    }
  }
}
