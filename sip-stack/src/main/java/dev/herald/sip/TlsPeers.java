package dev.herald.sip;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The allow list of TLS peers: a peer's certificate must name one of them, as its subject CN or a
 * DNS subject alternative name (RFC 5922 §7.1 lists both as identities of a SIP domain; the CN is
 * kept because CUCM trunk certificates often carry only that). Names compare ignoring case and
 * exactly: a wildcard certificate names no one here.
 */
final class TlsPeers {
  private static final int SAN_DNS = 2;

  private final Set<String> allowed;

  TlsPeers(Collection<String> allowed) {
    this.allowed = Set.copyOf(allowed.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList());
  }

  /** Whether {@code chain} (the peer's, its own certificate first) names an allowed peer. */
  boolean allows(Certificate[] chain) {
    if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate peer)) {
      return false;
    }
    return allowsAny(names(peer));
  }

  boolean allowsAny(List<String> names) {
    for (String name : names) {
      if (allowed.contains(name.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  /** The subject CNs and the DNS subject alternative names of {@code cert}, as written, once. */
  static List<String> names(X509Certificate cert) {
    Set<String> names = new LinkedHashSet<>();
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN") && rdn.getValue() instanceof String cn) {
          names.add(cn);
        }
      }
    } catch (InvalidNameException e) {
      // An RFC 2253 name from the JDK always parses; if not, the SANs alone decide.
    }
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() == 2
              && Integer.valueOf(SAN_DNS).equals(san.get(0))
              && san.get(1) instanceof String dns) {
            names.add(dns);
          }
        }
      }
    } catch (CertificateParsingException e) {
      // A certificate whose extension does not parse names no one by it.
    }
    return List.copyOf(names);
  }
}
