package dev.herald.im.mapping;

import dev.herald.config.SipAddresses;
import dev.herald.config.XmppSettings;
import dev.herald.im.mapping.AddressMappingException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Domainpart;
import org.jxmpp.jid.parts.Localpart;
import org.jxmpp.stringprep.XmppStringprepException;

/*
 * Design note. Two kinds of people cross the gateway, and each has one address per side:
 *
 *   SIP user      sip:alice@herald.test        <->  alice@sip.herald.test        (component domain)
 *   XMPP user     sip:bob@herald.test          <->  bob@xmpp.herald.test         (paired domain)
 *
 * A SIP user of the home domain (the first pair) appears in the component domain under their own
 * name; a user of another mapped SIP domain carries it in the localpart, carol\40other.test, the
 * way XEP-0106 §1 foresees for gateways. So a SIP user part that holds "@" is refused: it would
 * read back as a user of another domain.
 *
 * The two kinds' SIP addresses can look alike (sip:bob@herald.test above); which applies is
 * routing's business (is bob a local SIP user?), not this class's, so each direction has its own
 * method and no method guesses.
 *
 * Both ways go through the same steps: SIP user part %-decoded (RFC 3261 §19.1.2), escaped per
 * XEP-0106, prepared as a localpart by jxmpp (nodeprep: case-folded, forbidden characters refused,
 * at most 1023 bytes); and back: unescaped, %-encoded. Lossy on purpose: case (a localpart is
 * case-folded, a SIP user part is not, RFC 3261 §19.1.4) and %-escapes of characters that need none.
 */

/**
 * Maps addresses between SIP and XMPP for one gateway: its component domain and its pairs of SIP
 * domain and XMPP domain (RFC 7247 §4, §5). Immutable and free of I/O, so any thread may call it.
 *
 * <p>SIP addresses are addresses of record as {@link SipAddresses#normalize} writes them: {@code
 * sip:user@host}, the user part as written in a URI (with {@code %XX} escapes).
 */
public final class AddressMapping {

  /** RFC 7622 §3.3.1: a localpart is 1 to 1023 octets long. */
  private static final int MAX_LOCALPART_BYTES = 1023;

  private final Domainpart component;
  private final String homeSipDomain;
  private final Map<String, Domainpart> xmppDomainOfSip = new LinkedHashMap<>();
  private final Map<Domainpart, String> sipDomainOfXmpp = new LinkedHashMap<>();

  private AddressMapping(String componentDomain, Map<String, String> domains) {
    if (domains.isEmpty()) {
      throw new IllegalArgumentException("no SIP domain maps to an XMPP domain");
    }
    this.component = domainpart(componentDomain);
    this.homeSipDomain = domains.keySet().iterator().next().toLowerCase(Locale.ROOT);
    domains.forEach(
        (sip, xmpp) -> {
          Domainpart xmppDomain = domainpart(xmpp);
          String sipDomain = sip.toLowerCase(Locale.ROOT);
          if (xmppDomain.equals(component)
              || xmppDomainOfSip.put(sipDomain, xmppDomain) != null
              || sipDomainOfXmpp.put(xmppDomain, sipDomain) != null) {
            throw new IllegalArgumentException(
                "the domain mapping must be one to one and leave the component domain out: "
                    + domains);
          }
        });
  }

  /**
   * A mapping for {@code componentDomain} and {@code domains}, SIP domain to XMPP domain, whose
   * first entry is the home domain.
   *
   * @throws IllegalArgumentException when a domain is not a valid JID domainpart, the mapping is
   *     empty or not one to one, or maps to the component domain
   */
  public static AddressMapping of(String componentDomain, Map<String, String> domains) {
    return new AddressMapping(Objects.requireNonNull(componentDomain, "componentDomain"), domains);
  }

  /** The mapping the {@code xmpp} section of the configuration describes. */
  public static AddressMapping of(XmppSettings settings) {
    return of(settings.componentDomain(), settings.domains());
  }

  /** The domain the XMPP server routes to the gateway, where SIP users appear. */
  public Domainpart componentDomain() {
    return component;
  }

  /**
   * How XMPP users see a SIP user: {@code sip:alice@herald.test} is {@code alice@sip.herald.test}
   * when herald.test is the home domain; {@code sip:carol@other.test} is {@code
   * carol\40other.test@sip.herald.test}.
   *
   * @throws AddressMappingException when {@code sipAddress} is malformed, has no user part, is in a
   *     SIP domain that is not mapped, or its user part cannot be a localpart
   */
  public EntityBareJid sipUserToJid(String sipAddress) throws AddressMappingException {
    SipAor aor = SipAor.parse(sipAddress);
    if (!xmppDomainOfSip.containsKey(aor.domain)) {
      throw notMapped(sipAddress, aor.domain);
    }
    if (aor.user.indexOf('@') >= 0) {
      throw new AddressMappingException(
          Reason.BAD_CHARACTER,
          sipAddress
              + ": a user part holding \"@\" has no JID in the component domain (it would read"
              + " back as a user of another domain)");
    }
    String name = aor.domain.equals(homeSipDomain) ? aor.user : aor.user + "@" + aor.domain;
    return JidCreate.entityBareFrom(localpart(sipAddress, name), component);
  }

  /**
   * The SIP user an XMPP user addresses in the component domain: the reverse of {@link
   * #sipUserToJid}.
   *
   * @throws AddressMappingException when {@code jid} is not in the component domain, or names a SIP
   *     domain that is not mapped, or the home domain explicitly
   */
  public String jidToSipUser(EntityBareJid jid) throws AddressMappingException {
    if (!jid.getDomain().equals(component)) {
      throw new AddressMappingException(
          Reason.DOMAIN_NOT_MAPPED,
          jid
              + ": SIP users appear in the component domain "
              + component
              + ", not "
              + jid.getDomain());
    }
    String name = Xep0106.unescape(jid.getLocalpart().toString());
    int at = name.lastIndexOf('@');
    if (at < 0) {
      return sipAddress(jid, name, homeSipDomain);
    }
    String domain = name.substring(at + 1);
    if (domain.equals(homeSipDomain)) {
      throw new AddressMappingException(
          Reason.DOMAIN_NOT_MAPPED,
          jid
              + ": users of the home domain "
              + homeSipDomain
              + " are written without it ("
              + Xep0106.escape(name.substring(0, at))
              + "@"
              + component
              + ")");
    }
    if (!xmppDomainOfSip.containsKey(domain)) {
      throw new AddressMappingException(
          Reason.DOMAIN_NOT_MAPPED,
          jid
              + ": "
              + domain
              + " is not a SIP domain the gateway maps ("
              + mappedSipDomains()
              + ")");
    }
    return sipAddress(jid, name.substring(0, at), domain);
  }

  /**
   * How SIP users see an XMPP user: {@code bob@xmpp.herald.test} is {@code sip:bob@herald.test}
   * when xmpp.herald.test is paired with herald.test. XEP-0106 escapes in the localpart are undone
   * ({@code d\27artagnan} is {@code sip:d'artagnan@...}).
   *
   * @throws AddressMappingException when {@code jid}'s domain is not a mapped XMPP domain
   */
  public String xmppUserToSip(EntityBareJid jid) throws AddressMappingException {
    String sipDomain = sipDomainOfXmpp.get(jid.getDomain());
    if (sipDomain == null) {
      throw new AddressMappingException(
          Reason.DOMAIN_NOT_MAPPED,
          jid
              + ": "
              + jid.getDomain()
              + " is not an XMPP domain the gateway maps ("
              + String.join(", ", sipDomainOfXmpp.keySet().stream().map(Object::toString).toList())
              + ")");
    }
    return sipAddress(jid, Xep0106.unescape(jid.getLocalpart().toString()), sipDomain);
  }

  /**
   * The XMPP user a SIP address in a mapped SIP domain stands for: the reverse of {@link
   * #xmppUserToSip}.
   *
   * @throws AddressMappingException when {@code sipAddress} is malformed, has no user part, is in a
   *     SIP domain that is not mapped, or its user part cannot be a localpart
   */
  public EntityBareJid sipToXmppUser(String sipAddress) throws AddressMappingException {
    SipAor aor = SipAor.parse(sipAddress);
    Domainpart xmppDomain = xmppDomainOfSip.get(aor.domain);
    if (xmppDomain == null) {
      throw notMapped(sipAddress, aor.domain);
    }
    return JidCreate.entityBareFrom(localpart(sipAddress, aor.user), xmppDomain);
  }

  private AddressMappingException notMapped(String sipAddress, String domain) {
    return new AddressMappingException(
        Reason.DOMAIN_NOT_MAPPED,
        sipAddress
            + ": "
            + domain
            + " is not a SIP domain the gateway maps ("
            + mappedSipDomains()
            + ")");
  }

  private String mappedSipDomains() {
    return String.join(", ", xmppDomainOfSip.keySet());
  }

  /** {@code name}, a decoded SIP user (or user@domain), escaped and prepared as a localpart. */
  private static Localpart localpart(String sipAddress, String name)
      throws AddressMappingException {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new AddressMappingException(
            Reason.BAD_CHARACTER,
            sipAddress
                + ": the user part holds a control character (U+"
                + String.format("%04X", (int) c)
                + "), which a JID cannot carry");
      }
    }
    if (name.startsWith(" ") || name.endsWith(" ")) {
      // XEP-0106 §4.2: an escaped localpart must not begin or end with \20.
      throw new AddressMappingException(
          Reason.BAD_CHARACTER,
          sipAddress + ": the user part begins or ends with a space, which XEP-0106 cannot escape");
    }
    String escaped = Xep0106.escape(name);
    int bytes = escaped.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_LOCALPART_BYTES) {
      throw new AddressMappingException(
          Reason.TOO_LONG,
          sipAddress
              + ": the JID localpart would be "
              + bytes
              + " bytes long, and RFC 7622 allows at most "
              + MAX_LOCALPART_BYTES);
    }
    try {
      return Localpart.from(escaped);
    } catch (XmppStringprepException e) {
      throw new AddressMappingException(
          Reason.BAD_CHARACTER,
          sipAddress + ": the user part is not a valid JID localpart (" + e.getMessage() + ")");
    }
  }

  private static String sipAddress(EntityBareJid jid, String user, String domain)
      throws AddressMappingException {
    if (user.isEmpty()) {
      throw new AddressMappingException(Reason.NO_USER_PART, jid + ": no user part to map");
    }
    return "sip:" + SipUserPart.encode(user) + "@" + domain;
  }

  private static Domainpart domainpart(String domain) {
    try {
      return Domainpart.from(domain);
    } catch (XmppStringprepException e) {
      throw new IllegalArgumentException("not a JID domain: " + domain, e);
    }
  }

  /** A parsed SIP address of record: the user part decoded, the domain lower-cased. */
  private record SipAor(String user, String domain) {

    static SipAor parse(String sipAddress) throws AddressMappingException {
      Objects.requireNonNull(sipAddress, "sipAddress");
      if (!sipAddress.regionMatches(true, 0, "sip:", 0, 4)) {
        throw new AddressMappingException(
            Reason.MALFORMED, sipAddress + ": not a sip: address (RFC 7247 maps sip: URIs)");
      }
      if (sipAddress.indexOf('@') < 0) {
        throw new AddressMappingException(
            Reason.NO_USER_PART,
            sipAddress + ": no user part; a domain alone has no JID in the component domain");
      }
      String normalized =
          SipAddresses.normalize(sipAddress)
              .orElseThrow(
                  () ->
                      new AddressMappingException(
                          Reason.MALFORMED,
                          sipAddress
                              + ": not a sip:user@host address of record (no port, no"
                              + " parameters, the user part as RFC 3261 §25.1 writes it)"));
      int at = normalized.lastIndexOf('@');
      String user = SipUserPart.decode(normalized.substring(4, at));
      if (user == null) {
        throw new AddressMappingException(
            Reason.BAD_CHARACTER, sipAddress + ": the user part's %-escapes are not UTF-8 text");
      }
      return new SipAor(user, normalized.substring(at + 1));
    }
  }

  @Override
  public String toString() {
    return "AddressMapping[component="
        + component
        + ", domains="
        + List.copyOf(xmppDomainOfSip.entrySet())
        + "]";
  }
}
