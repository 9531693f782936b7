package dev.herald.sip.internal;

import gov.nist.core.StackLogger;
import gov.nist.javax.sip.stack.StreamTransportIoHandler;
import java.io.IOException;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes JAIN-SIP's own logging to SLF4J (logger {@code gov.nist}), so that no log4j 1.x is needed.
 * JAIN-SIP gates its message trace on level 16 (TRACE_MESSAGES, equal to TRACE_INFO): that level is
 * on when the trace logger is, and the stack's INFO chatter goes to DEBUG. Instantiated by the
 * stack by name (property {@code gov.nist.javax.sip.STACK_LOGGER}).
 */
public final class Slf4jStackLogger implements StackLogger {
  private static final Logger LOG = LoggerFactory.getLogger("gov.nist");

  @Override
  public boolean isLoggingEnabled() {
    return LOG.isWarnEnabled();
  }

  @Override
  public boolean isLoggingEnabled(int level) {
    if (level <= TRACE_WARN) {
      return LOG.isWarnEnabled();
    }
    if (level == TRACE_MESSAGES) {
      return Slf4jServerLogger.TRACE.isInfoEnabled() || LOG.isDebugEnabled();
    }
    return LOG.isDebugEnabled();
  }

  @Override
  public void logStackTrace() {
    logStackTrace(TRACE_DEBUG);
  }

  @Override
  public void logStackTrace(int level) {
    if (LOG.isTraceEnabled()) {
      LOG.trace("stack trace", new Throwable("stack trace"));
    }
  }

  @Override
  public int getLineCount() {
    return 0;
  }

  @Override
  public void logException(Throwable t) {
    LOG.warn("JAIN-SIP exception", t);
  }

  @Override
  public void logDebug(String message) {
    LOG.debug(message);
  }

  @Override
  public void logDebug(String message, Exception e) {
    LOG.debug(message, e);
  }

  @Override
  public void logTrace(String message) {
    LOG.trace(message);
  }

  @Override
  public void logFatalError(String message) {
    LOG.error(message);
  }

  @Override
  public void logError(String message) {
    if (isPeerUnreachable(message)) {
      LOG.debug(message);
    } else {
      LOG.error(message);
    }
  }

  /**
   * Whether an error JAIN-SIP logs is only that a peer could not be reached over TCP or TLS. Herald
   * reports that itself, once, as the request's outcome (a WARN naming the request and the peer,
   * then the subscription ends); JAIN-SIP's own lines say it three or four times at ERROR, with the
   * whole message and a dump of every open connection, which at fan-out flooded the log.
   */
  static boolean isPeerUnreachable(String message) {
    return message != null
        && (message.startsWith("Problem connecting ")
            || message.startsWith("Problem sending: sendBytes ")
            || message.startsWith("Could not connect to ")
            // a warning before a retry whose outcome is reported anyway (a pong's at DEBUG)
            || message.startsWith("Failed to connect ")
            || (message.startsWith("{") && message.endsWith("}")));
  }

  @Override
  public void logError(String message, Exception e) {
    if (isPongToAClosedConnection(e) || isPeerUnreachableBeforeRetry(message, e)) {
      LOG.debug(message, e);
    } else {
      LOG.error(message, e);
    }
  }

  /**
   * TCPMessageChannel's "Error is " with the IOException of a peer it could not connect to, logged
   * before it tries the peer's advertised port: the outcome is reported by Herald as the request's
   * (see {@link #isPeerUnreachable}), and this line carried a stack trace per request (10,000 at a
   * bench's stop, when Herald sends its final NOTIFYs to watchers that are gone).
   */
  static boolean isPeerUnreachableBeforeRetry(String message, Throwable e) {
    return message != null
        && message.startsWith("Error is")
        && e instanceof IOException
        && isPeerUnreachable(e.getMessage());
  }

  /**
   * A keep-alive pong whose connection the peer had closed (StreamTransportIoHandler): nothing is
   * lost, so nothing for the log's ERROR level.
   */
  static boolean isPongToAClosedConnection(Throwable e) {
    return e != null
        && e.getMessage() != null
        && e.getMessage().startsWith(StreamTransportIoHandler.PONG_DROPPED);
  }

  @Override
  public void logWarning(String message) {
    if (isPeerUnreachable(message)) {
      LOG.debug(message);
    } else {
      LOG.warn(message);
    }
  }

  @Override
  public void logInfo(String message) {
    LOG.debug(message);
  }

  @Override
  public void disableLogging() {}

  @Override
  public void enableLogging() {}

  @Override
  public void setBuildTimeStamp(String buildTimeStamp) {}

  @Override
  public void setStackProperties(Properties properties) {}

  @Override
  public String getLoggerName() {
    return LOG.getName();
  }
}
