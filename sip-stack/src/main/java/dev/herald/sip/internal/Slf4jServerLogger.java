package dev.herald.sip.internal;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message trace: every SIP message in and out, at INFO on logger {@code dev.herald.sip.trace},
 * which is off unless the config's {@code sip.trace} or the logging configuration turns it on.
 * Instantiated by the stack by name (property {@code gov.nist.javax.sip.SERVER_LOGGER}).
 */
public final class Slf4jServerLogger implements ServerLogger {
  /** The trace logger's name, for configuration. */
  public static final String TRACE_LOGGER = "dev.herald.sip.trace";

  static final Logger TRACE = LoggerFactory.getLogger(TRACE_LOGGER);

  @Override
  public void closeLogFile() {}

  @Override
  public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
    log(message, from, to, sender);
  }

  @Override
  public void logMessage(
      SIPMessage message, String from, String to, String status, boolean sender, long time) {
    log(message, from, to, sender);
  }

  @Override
  public void logMessage(
      SIPMessage message, String from, String to, String status, boolean sender) {
    log(message, from, to, sender);
  }

  private static void log(SIPMessage message, String from, String to, boolean sender) {
    if (TRACE.isInfoEnabled()) {
      TRACE.info("{} {} -> {}\n{}", sender ? "sent" : "received", from, to, message.encode());
    }
  }

  /** Whether the message trace is on (a message not given to JAIN-SIP must then be traced). */
  public static boolean tracing() {
    return TRACE.isInfoEnabled();
  }

  /** Traces a message Herald sent itself, without JAIN-SIP ({@link UdpClientTransactions}). */
  public static void sent(SIPMessage message, String from, Object to) {
    if (TRACE.isInfoEnabled()) {
      log(message, from, String.valueOf(to), true);
    }
  }

  /** Traces a message Herald wrote and sent itself as bytes (a NOTIFY over UDP). */
  public static void sent(byte[] message, String from, Object to) {
    if (TRACE.isInfoEnabled()) {
      TRACE.info(
          "{} {} -> {}\n{}",
          "sent",
          from,
          to,
          new String(message, java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  @Override
  public void logException(Exception e) {
    TRACE.warn("exception while tracing", e);
  }

  @Override
  public void setStackProperties(Properties properties) {}

  @Override
  public void setSipStack(SipStack sipStack) {}
}
