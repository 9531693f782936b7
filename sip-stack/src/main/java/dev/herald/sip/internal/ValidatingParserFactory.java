package dev.herald.sip.internal;

import dev.herald.sip.Rejection;
import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.ChannelAccess;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Why a parser factory (stack property gov.nist.javax.sip.MESSAGE_PARSER_FACTORY): it is the only
 * place where Herald sees a message's bytes before JAIN-SIP throws them away. These happen here and
 * nowhere else:
 *  - A request without Call-ID, From, To or CSeq, which JAIN-SIP drops unanswered, gets its 400
 *    here, statelessly through the channel (the listener never sees it).
 *  - A Via received parameter the sender wrote itself is replaced by the real source address.
 *  - A request without an RFC 3261 branch gets one (giveRfc3261Branch).
 *  - MessageValidation.inspect runs on the bytes; its finding rides on the parsed message
 *    (SIPMessage application data, which nothing else in Herald uses) to the listener, which
 *    answers 400 with it.
 *  - A message JAIN-SIP cannot parse at all is answered by JAIN-SIP itself over UDP, 400 with the
 *    exception's message as the reason; over TCP its reader drops it, so the same 400 is sent
 *    here (ChannelAccess). Its messages are Java internals ("[C@1d9c5402\nID
 *    expected", with a line break that breaks the status line), so the exception is replaced by
 *    one naming the header.
 *  - JAIN-SIP's UDP channel answers a CSeq method mismatch with a bare "400 Bad request" before
 *    the listener runs; failing the parse instead makes the reason say what was wrong (over TCP
 *    the 400 is sent here, as for any request that fails to parse).
 */

/** JAIN-SIP's parser, with Herald's {@link MessageValidation} on the bytes it parses. */
public final class ValidatingParserFactory implements MessageParserFactory {
  private static final Logger LOG = LoggerFactory.getLogger(ValidatingParserFactory.class);

  @Override
  public MessageParser createMessageParser(SIPTransactionStack stack) {
    return new ValidatingParser();
  }

  private static final class ValidatingParser implements MessageParser {
    private final StringMsgParser parser = new StringMsgParser();

    @Override
    public SIPMessage parseSIPMessage(
        byte[] bytes, boolean readBody, boolean strict, ParseExceptionListener listener)
        throws ParseException {
      SIPMessage message;
      try {
        message =
            parser.parseSIPMessage(
                bytes, readBody, strict, listener == null ? null : named(listener));
      } catch (ParseException | RuntimeException e) {
        // JAIN-SIP's header parsers can also throw unchecked (fuzzing finding: ServerParser threw
        // StringIndexOutOfBoundsException on "Server: TOPIONS soap.beep://... SIP/2.0"), which its
        // channels log at ERROR and drop. A message that does not parse is the sender's fault: a
        // ParseException gets a request its 400 and drops a response quietly.
        if (breaksJainSipBadRequest(bytes)) {
          LOG.debug("dropped unparseable message that starts with a header: {}", e.toString());
          return null;
        }
        throw e instanceof ParseException parse ? contentLengthInWords(parse) : unreadable(e);
      }
      if (message instanceof SIPRequest request) {
        if (request.getCSeq() != null
            && request.getMethod() != null
            && !request.getMethod().equalsIgnoreCase(request.getCSeq().getMethod())) {
          String reason =
              "CSeq method "
                  + request.getCSeq().getMethod()
                  + " does not match "
                  + request.getMethod();
          boolean sent = false;
          try {
            sent =
                ChannelAccess.badRequestOverConnection(
                    listener, new String(bytes, StandardCharsets.UTF_8), reason);
          } catch (IOException | RuntimeException e) {
            LOG.debug("could not send 400 ({}): {}", reason, e.toString());
          }
          if (breaksJainSipBadRequest(bytes)) {
            // "ViaINVITE ..." (fuzzing finding): JAIN-SIP could not build its 400; this one can.
            if (!sent) {
              answerStatelessly(request, reason, listener);
            }
            return null;
          }
          throw new ParseException(reason, 0);
        }
        Optional<String> missing = MessageValidation.missingHeaders(request);
        if (missing.isPresent()) {
          answerStatelessly(request, missing.get(), listener);
          return null; // JAIN-SIP would drop it too, unanswered
        }
        Optional<Rejection> viaPort = MessageValidation.viaPortOutOfRange(request);
        if (viaPort.isPresent()) {
          // RFC 3261 §18.2.2 would send the response to that port; with rport (RFC 3581) the
          // stack sends it to the port the request came from.
          request.getTopmostVia().setRPort();
        }
        MessageValidation.inspect(bytes)
            .or(() -> viaPort)
            .ifPresent(r -> request.setApplicationData(new MessageValidation.Finding(r)));
        correctReceived(request, listener);
        giveRfc3261Branch(request);
      }
      return message;
    }

    private static ParseException unreadable(Exception e) {
      ParseException bad = new ParseException("a header the parser could not read", 0);
      bad.initCause(e);
      return bad;
    }

    /**
     * JAIN-SIP's "Invalid content length 154 / 9999" (body octets / header value) as words (RFC
     * 4475 §3.1.2.2); any other exception as it is.
     */
    private static ParseException contentLengthInWords(ParseException e) {
      Matcher m = CONTENT_LENGTH_ERROR.matcher(String.valueOf(e.getMessage()));
      if (!m.matches()) {
        return e;
      }
      long body = Long.parseLong(m.group(1));
      long given = Long.parseLong(m.group(2));
      return new ParseException(
          "Content-Length "
              + given
              + (given > body ? " larger than the message" : " does not match the body")
              + ", whose body has "
              + body
              + " octets",
          e.getErrorOffset());
    }

    /**
     * Whether JAIN-SIP's UDP channel would fail to build its 400 for this unparseable message: it
     * copies the CSeq, Call-ID, From, To and Via lines from the text, each from two characters
     * before the name's first occurrence, and throws StringIndexOutOfBoundsException when a name
     * occurs at offset 0 or 1 (fuzzing finding: "\nCall-ID: ..."; the message was dropped with an
     * ERROR). Such a message starts with a header, not a start line, so it is no request to answer
     * (RFC 3261 §7.1): it is dropped here instead.
     */
    static boolean breaksJainSipBadRequest(byte[] bytes) {
      String head = new String(bytes, 0, Math.min(bytes.length, 16), StandardCharsets.ISO_8859_1);
      for (String name : COPIED_BY_JAIN_SIP) {
        int at = head.indexOf(name);
        if (at == 0 || at == 1) {
          return true;
        }
      }
      return false;
    }

    private static final String[] COPIED_BY_JAIN_SIP = {"CSeq", "Call-ID", "From", "To", "Via"};

    private static final Pattern CONTENT_LENGTH_ERROR =
        Pattern.compile("Invalid content length ([0-9]+) / ([0-9]+)");

    /**
     * RFC 3261 §18.2.1: the server sets received to the source address. JAIN-SIP only does so when
     * the sent-by host differs from it, so a received parameter written by the sender itself (RFC
     * 5118 §4.5) would steer the response to any address the sender chose.
     */
    private static void correctReceived(SIPRequest request, ParseExceptionListener listener) {
      Via top = request.getTopmostVia();
      InetAddress peer = ChannelAccess.peerAddress(listener);
      if (top != null && peer != null && top.hasParameter(Via.RECEIVED)) {
        try {
          top.setParameter(Via.RECEIVED, peer.getHostAddress());
        } catch (ParseException e) {
          throw new IllegalStateException(e);
        }
      }
    }

    /**
     * A request without an RFC 3261 branch (none, or one without the magic cookie: RFC 2543 style)
     * gets one here, derived from what RFC 3261 §17.2.3 matches such requests by: the Request-URI,
     * the From tag, the Call-ID, the CSeq number and the top Via (sent-by and any old branch). A
     * retransmission, and the ACK or CANCEL of that request, get the same branch, so the
     * transaction layer matches them by key as it does RFC 3261 requests. Without it JAIN-SIP
     * compares such a request with every server transaction in turn (work that grows with the
     * table), and one that has completed has released its request (RELEASE_REFERENCES_STRATEGY
     * Aggressive), so the comparison threw NullPointerException and the request was dropped
     * unanswered (fuzzing finding). The To tag is left out because an ACK adds it. The response
     * echoes the Via with this branch (a deviation, README "Deviations kept").
     */
    static void giveRfc3261Branch(SIPRequest request) {
      Via top = request.getTopmostVia();
      if (top == null) {
        return;
      }
      String branch = top.getBranch();
      if (branch != null && branch.regionMatches(true, 0, MAGIC_COOKIE, 0, MAGIC_COOKIE.length())) {
        return;
      }
      String key =
          String.join(
              "\n",
              String.valueOf(request.getRequestURI()),
              String.valueOf(request.getFromTag()),
              request.getCallId() == null ? "" : request.getCallId().getCallId(),
              request.getCSeq() == null ? "" : Long.toString(request.getCSeq().getSeqNumber()),
              top.getSentBy() == null ? "" : top.getSentBy().encode().toLowerCase(Locale.ROOT),
              String.valueOf(top.getTransport()).toLowerCase(Locale.ROOT),
              String.valueOf(branch));
      try {
        byte[] digest =
            MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        top.setBranch(MAGIC_COOKIE + "-2543-" + HexFormat.of().formatHex(digest, 0, 12));
      } catch (NoSuchAlgorithmException | ParseException e) {
        throw new IllegalStateException(e); // SHA-256 is in every JDK; the value is a token
      }
    }

    private static final String MAGIC_COOKIE = "z9hG4bK";

    /**
     * A 400 to a request without Call-ID, From, To or CSeq (RFC 4475 §3.3.1), which JAIN-SIP drops
     * unanswered: built from the headers it does have, sent back through the channel. Without a Via
     * there is nowhere to send it.
     */
    private static void answerStatelessly(
        SIPRequest request, String problem, ParseExceptionListener listener) {
      Via top = request.getTopmostVia();
      if (top == null || listener == null) {
        return;
      }
      StringBuilder r =
          new StringBuilder("SIP/2.0 400 Bad Request (").append(problem).append(")\r\n");
      for (Object via : request.getViaHeaders()) {
        r.append(((Via) via).encode());
      }
      for (javax.sip.header.Header h :
          new javax.sip.header.Header[] {
            request.getFrom(), request.getTo(), request.getCallId(), request.getCSeq()
          }) {
        if (h != null) {
          r.append(((SIPHeader) h).encode());
        }
      }
      r.append("Content-Length: 0\r\n\r\n");
      try {
        ChannelAccess.reply(
            listener,
            r.toString().getBytes(StandardCharsets.UTF_8),
            top.getPort() > 0 ? top.getPort() : 5060);
      } catch (IOException | RuntimeException e) {
        LOG.debug("could not send 400 ({}): {}", problem, e.toString());
      }
    }

    /**
     * {@code listener}, rethrowing what it throws as an exception that names the header. Over TCP
     * and TLS the 400 is sent first, as JAIN-SIP's connection channels close the socket before they
     * throw for a required header.
     */
    private static ParseExceptionListener named(ParseExceptionListener listener) {
      return (ex, message, headerClass, header, raw) -> {
        String reason = "malformed " + what(headerClass, header);
        // A line without a colon comes with no header class (fuzzing finding: Set.contains(null)
        // threw, and the request was dropped unanswered instead of getting its 400).
        if (headerClass != null && REQUIRED.contains(headerClass)) {
          try {
            ChannelAccess.badRequestOverConnection(listener, raw, reason);
          } catch (IOException | RuntimeException e) {
            // never out of the parser: a runtime exception there ends the connection's reader
            LOG.debug("could not send 400 ({}): {}", reason, e.toString());
          }
        }
        try {
          listener.handleException(ex, message, headerClass, header, raw);
        } catch (ParseException e) {
          throw new ParseException(reason, e.getErrorOffset());
        }
      };
    }

    /** What JAIN-SIP's channels refuse a message for when it does not parse (the rest it skips). */
    private static final Set<Class<?>> REQUIRED =
        Set.of(
            From.class,
            To.class,
            CSeq.class,
            Via.class,
            CallID.class,
            ContentLength.class,
            RequestLine.class,
            StatusLine.class);

    private static String what(Class<?> headerClass, String header) {
      if (headerClass == RequestLine.class) {
        return "Request-Line";
      }
      if (headerClass == StatusLine.class) {
        return "Status-Line";
      }
      int colon = header == null ? -1 : header.indexOf(':');
      return colon > 0 ? header.substring(0, colon).strip() + " header" : "header line";
    }
  }
}
