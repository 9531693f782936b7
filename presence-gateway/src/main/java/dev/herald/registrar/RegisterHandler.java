package dev.herald.registrar;

import dev.herald.directory.AccessPolicy;
import dev.herald.sip.IncomingRequest;
import dev.herald.sip.Rejection;
import dev.herald.sip.RequestHandler;
import dev.herald.sip.SipMessages;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Response;

/**
 * REGISTER (RFC 3261 §10.3): reads the address-of-record and the contacts on the SIP thread, hands
 * them to the {@link Registrar}, and answers 200 with every current binding.
 */
public final class RegisterHandler implements RequestHandler {
  private final Registrar registrar;
  private final Set<String> domains;
  private final AccessPolicy access;

  public RegisterHandler(Registrar registrar, List<String> domains, AccessPolicy access) {
    this.registrar = registrar;
    this.domains = Set.copyOf(domains);
    this.access = access;
  }

  @Override
  public void handle(IncomingRequest in) {
    URI to = ((ToHeader) in.request().getHeader(ToHeader.NAME)).getAddress().getURI();
    if (!(to instanceof SipURI sip) || sip.getUser() == null || sip.getUser().isEmpty()) {
      in.respond(Response.BAD_REQUEST, "Bad Request (To is no sip:user@domain address-of-record)");
      return;
    }
    String host = sip.getHost().toLowerCase(Locale.ROOT);
    if (!domains.contains(host)) {
      // §10.3 step 3: an address-of-record outside Herald's domains.
      in.respond(Response.NOT_FOUND, "Not Found (domain " + host + " is not served here)");
      return;
    }
    String aor = "sip:" + sip.getUser() + "@" + host;
    Rejection denied = access.mayRegister(in.identity(), aor);
    if (denied != null) {
      in.reject(denied);
      return;
    }
    List<RegisterRequest.ContactEntry> contacts = new ArrayList<>();
    boolean wildcard = false;
    Iterator<?> it = in.request().getHeaders(ContactHeader.NAME);
    while (it.hasNext()) {
      ContactHeader c = (ContactHeader) it.next();
      if (c.getAddress() == null || c.getAddress().isWildcard()) {
        wildcard = true;
        continue;
      }
      int expires = c.getExpires();
      float q = c.getQValue();
      contacts.add(
          new RegisterRequest.ContactEntry(
              c.getAddress().getURI().toString(), expires < 0 ? null : expires, q < 0 ? null : q));
    }
    ExpiresHeader expires = (ExpiresHeader) in.request().getHeader(ExpiresHeader.NAME);
    RegisterRequest request =
        new RegisterRequest(
            aor,
            contacts,
            wildcard,
            expires == null ? null : expires.getExpires(),
            ((CallIdHeader) in.request().getHeader(CallIdHeader.NAME)).getCallId(),
            ((CSeqHeader) in.request().getHeader(CSeqHeader.NAME)).getSeqNumber());
    registrar.register(
        request,
        new RegisterReply() {
          @Override
          public void accepted(List<Binding> current) {
            Response r = in.createResponse(Response.OK, "OK");
            try {
              for (Binding b : current) {
                ContactHeader c =
                    SipMessages.HEADERS.createContactHeader(
                        SipMessages.ADDRESSES.createAddress(
                            SipMessages.ADDRESSES.createURI(b.contact())));
                c.setExpires(registrar.secondsLeft(b));
                if (b.q() != 1.0f) {
                  c.setQValue(b.q());
                }
                r.addHeader(c);
              }
              r.setHeader(SipMessages.HEADERS.createDateHeader(java.util.Calendar.getInstance()));
            } catch (ParseException | javax.sip.InvalidArgumentException e) {
              // Every contact was parsed when it was registered; failing now is a bug.
              throw new IllegalStateException("cannot list bindings of " + aor, e);
            }
            in.respond(r);
          }

          @Override
          public void rejected(Rejection rejection) {
            in.reject(rejection);
          }
        });
  }
}
