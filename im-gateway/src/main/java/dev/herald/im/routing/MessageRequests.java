package dev.herald.im.routing;

import dev.herald.im.mapping.ImText;
import dev.herald.sip.SipMessages;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import javax.sip.InvalidArgumentException;
import javax.sip.address.Address;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.SubjectHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;

/** The MESSAGE requests Herald originates (RFC 3428 §4), without Via: the SIP server adds it. */
final class MessageRequests {

  private MessageRequests() {}

  /**
   * A MESSAGE to one device ({@code target}, a registered contact) that relays a SIP sender's
   * MESSAGE as Herald's own request (B2BUA): the sender's From (a new tag), To, Call-ID, Subject,
   * Content-Type and body, Max-Forwards one lower.
   */
  static Request relay(Request original, String target) throws ParseException {
    try {
      URI uri = SipMessages.ADDRESSES.createURI(target);
      FromHeader originalFrom = (FromHeader) original.getHeader(FromHeader.NAME);
      FromHeader from =
          SipMessages.HEADERS.createFromHeader(originalFrom.getAddress(), SipMessages.newTag());
      ToHeader originalTo = (ToHeader) original.getHeader(ToHeader.NAME);
      ToHeader to = SipMessages.HEADERS.createToHeader(originalTo.getAddress(), null);
      MaxForwardsHeader mf = (MaxForwardsHeader) original.getHeader(MaxForwardsHeader.NAME);
      int hops = mf == null ? 70 : Math.max(0, mf.getMaxForwards() - 1);
      CallIdHeader callId = (CallIdHeader) original.getHeader(CallIdHeader.NAME).clone();
      Request request =
          SipMessages.MESSAGES.createRequest(
              uri,
              Request.MESSAGE,
              callId,
              SipMessages.HEADERS.createCSeqHeader(1L, Request.MESSAGE),
              from,
              to,
              new ArrayList<>(),
              SipMessages.HEADERS.createMaxForwardsHeader(hops));
      if (original.getHeader(SubjectHeader.NAME) != null) {
        request.setHeader(original.getHeader(SubjectHeader.NAME));
      }
      request.setContent(
          original.getRawContent(), (ContentTypeHeader) original.getHeader(ContentTypeHeader.NAME));
      return request;
    } catch (InvalidArgumentException e) {
      throw new ParseException(e.getMessage(), 0);
    }
  }

  /**
   * A new MESSAGE from {@code fromAor} to {@code toAor}, sent to one device ({@code target}), with
   * {@code text} as a UTF-8 text/plain body and its subject as Subject.
   *
   * @param callId the Call-ID to use (an XMPP thread, so a conversation keeps one), or null for a
   *     new one
   */
  static Request create(String target, String fromAor, String toAor, String callId, ImText text)
      throws ParseException {
    try {
      URI uri = SipMessages.ADDRESSES.createURI(target);
      Address fromAddress = SipMessages.ADDRESSES.createAddress(fromAor);
      Address toAddress = SipMessages.ADDRESSES.createAddress(toAor);
      CSeqHeader cseq = SipMessages.HEADERS.createCSeqHeader(1L, Request.MESSAGE);
      Request request =
          SipMessages.MESSAGES.createRequest(
              uri,
              Request.MESSAGE,
              SipMessages.HEADERS.createCallIdHeader(
                  callId != null ? callId : SipMessages.newCallId()),
              cseq,
              SipMessages.HEADERS.createFromHeader(fromAddress, SipMessages.newTag()),
              SipMessages.HEADERS.createToHeader(toAddress, null),
              new ArrayList<>(),
              SipMessages.HEADERS.createMaxForwardsHeader(70));
      if (!text.subject().isEmpty()) {
        request.setHeader(SipMessages.HEADERS.createSubjectHeader(oneLine(text.subject())));
      }
      ContentTypeHeader type = SipMessages.HEADERS.createContentTypeHeader("text", "plain");
      type.setParameter("charset", "UTF-8");
      request.setContent(text.body().getBytes(StandardCharsets.UTF_8), type);
      return request;
    } catch (InvalidArgumentException e) {
      throw new ParseException(e.getMessage(), 0);
    }
  }

  /**
   * Whether {@code text} can be a Call-ID as it is (RFC 3261 §25.1: word [ "@" word ], word made of
   * alphanumerics and {@code -.!%*_+`'~()<>:\"/[]?{}}), so an XMPP thread becomes the Call-ID.
   */
  static boolean isCallId(String text) {
    if (text.isEmpty() || text.length() > 200) {
      return false;
    }
    int at = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '@') {
        if (++at > 1 || i == 0 || i == text.length() - 1) {
          return false;
        }
      } else if (!(Character.isLetterOrDigit(c) && c < 128)
          && "-.!%*_+`'~()<>:\\\"/[]?{}".indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  private static String oneLine(String text) {
    return text.replaceAll("[\\r\\n]+", " ").strip();
  }
}
