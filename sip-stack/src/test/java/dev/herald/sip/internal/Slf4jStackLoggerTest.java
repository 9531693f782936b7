package dev.herald.sip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * JAIN-SIP's lines (and stack traces) about an unreachable TCP peer go to DEBUG; its other errors
 * stay ERROR.
 */
class Slf4jStackLoggerTest {
  private final Logger gov = (Logger) LoggerFactory.getLogger("gov.nist");
  private final ListAppender<ILoggingEvent> recorded = new ListAppender<>();
  private Level before;

  @BeforeEach
  void record() {
    before = gov.getLevel();
    gov.setLevel(Level.DEBUG);
    recorded.start();
    gov.addAppender(recorded);
  }

  @AfterEach
  void restore() {
    gov.detachAppender(recorded);
    gov.setLevel(before);
  }

  @Test
  void unreachablePeerLinesAreDebug() {
    Slf4jStackLogger logger = new Slf4jStackLogger();
    logger.logError(
        "Problem connecting /127.0.0.1 5099 /127.0.0.1 for message NOTIFY sip:x SIP/2.0");
    logger.logError("Problem sending: sendBytes TCP inAddr 127.0.0.1 port = 5099 remoteHost null");
    logger.logError("{127.0.0.1:5098=gov.nist.javax.sip.stack.TCPMessageChannel@1}");
    logger.logError("Could not connect to /127.0.0.1:5099");
    logger.logError("Malformed mandatory headers: closing socket!");

    assertEquals(
        List.of(Level.DEBUG, Level.DEBUG, Level.DEBUG, Level.DEBUG, Level.ERROR),
        recorded.list.stream().map(ILoggingEvent::getLevel).toList());
  }

  @Test
  void anUnreachablePeersStackTraceBeforeTheRetryIsDebugAndOtherErrorsStayError() {
    Slf4jStackLogger logger = new Slf4jStackLogger();
    logger.logError("Error is ", new IOException("Could not connect to /127.0.0.1:5099"));
    logger.logError("Error is ", new IOException("Broken pipe"));
    logger.logError("Error is ", new IllegalStateException("Could not connect to /127.0.0.1:5099"));
    logger.logError("Could not parse", new IOException("Could not connect to /127.0.0.1:5099"));

    assertEquals(
        List.of(Level.DEBUG, Level.ERROR, Level.ERROR, Level.ERROR),
        recorded.list.stream().map(ILoggingEvent::getLevel).toList());
  }
}
