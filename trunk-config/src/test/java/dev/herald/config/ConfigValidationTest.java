package dev.herald.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One fixture per validation rule, under {@code src/test/resources/config/invalid/}. Each fixture
 * is a valid file but for one mistake, so each must give exactly one problem.
 */
class ConfigValidationTest {

  /** Fixture, expected path, a distinctive part of the expected message. */
  static List<Arguments> fixtures() {
    return List.of(
        // unknown and missing keys
        arguments(
            "unknown-key.yaml",
            "presence.publish.min-expire",
            "unknown key (expected one of: min-expires, default-expires, max-expires)"),
        arguments(
            "unknown-top-level-key.yaml",
            "gateways",
            "unknown key (expected one of: listeners, domains, sip, presence, security, directory,"
                + " registrar, tls, trunks, xmpp)"),
        arguments("missing-port.yaml", "listeners[0].port", "required"),
        arguments("missing-listeners.yaml", "listeners", "required"),
        arguments("missing-domains.yaml", "domains", "required"),
        // wrong types
        arguments(
            "wrong-type-string-for-int.yaml",
            "sip.thread-pool-size",
            "must be an integer, was \"four\""),
        arguments("quoted-port.yaml", "listeners[0].port", "must be an integer, was \"5060\""),
        arguments("null-port.yaml", "listeners[0].port", "must be an integer, was empty"),
        arguments(
            "wrong-type-float-for-int.yaml",
            "presence.max-document-bytes",
            "must be an integer, was 1024.5"),
        arguments(
            "wrong-type-word-for-boolean.yaml", "sip.trace", "must be true or false, was \"yes\""),
        arguments("wrong-type-mapping-for-list.yaml", "listeners", "must be a list, was a mapping"),
        arguments("wrong-type-list-for-mapping.yaml", "sip", "must be a mapping, was a list"),
        arguments(
            "listener-not-a-mapping.yaml",
            "listeners[0]",
            "must be a mapping, was \"udp 127.0.0.1 5060\""),
        arguments("root-is-a-list.yaml", "", "must be a mapping, was a list"),
        // ranges
        arguments("bad-port.yaml", "listeners[1].port", "must be 1..65535, was 70000"),
        arguments("zero-port.yaml", "listeners[0].port", "must be 1..65535, was 0"),
        arguments(
            "huge-port.yaml", "listeners[0].port", "must be 1..65535, was 99999999999999999999"),
        arguments(
            "thread-pool-size-too-big.yaml", "sip.thread-pool-size", "must be 1..256, was 300"),
        arguments(
            "rate-limit-burst-zero.yaml", "sip.rate-limit.burst", "must be 1..10000000, was 0"),
        arguments(
            "rate-limit-negative.yaml", "sip.rate-limit.per-second", "must be 0..1000000, was -5"),
        arguments(
            "tcp-read-timeout-too-short.yaml",
            "sip.tcp.read-timeout-ms",
            "must be 100..600000, was 5"),
        arguments(
            "overload-unknown-key.yaml",
            "sip.overload.max-queued",
            "unknown key (expected one of: max-queued-datagrams, max-backlog, retry-after)"),
        arguments(
            "overload-retry-after-zero.yaml", "sip.overload.retry-after", "must be 1..3600, was 0"),
        arguments(
            "overload-negative-backlog.yaml",
            "sip.overload.max-backlog",
            "must be 0..10000000, was -1"),
        arguments(
            "max-message-size-too-small.yaml",
            "sip.max-message-size",
            "must be 1024..16777216, was 512"),
        arguments(
            "expires-too-long.yaml",
            "presence.publish.max-expires",
            "must be 1..31536000, was 40000000"),
        arguments(
            "expires-zero.yaml", "presence.subscribe.min-expires", "must be 1..31536000, was 0"),
        arguments(
            "max-presentities-zero.yaml",
            "presence.max-presentities",
            "must be 1..100000000, was 0"),
        arguments(
            "max-subscriptions-zero.yaml",
            "presence.max-subscriptions-per-presentity",
            "must be at least 1, was 0"),
        arguments(
            "max-subscriptions-per-watcher-zero.yaml",
            "presence.max-subscriptions-per-watcher",
            "must be at least 1, was 0"),
        arguments(
            "tcp-idle-timeout-too-short.yaml",
            "sip.tcp.idle-timeout-seconds",
            "must be 0 (never) or 10..86400, was 5"),
        arguments(
            "max-publications-negative.yaml",
            "presence.max-publications-per-presentity",
            "must be at least 1, was -1"),
        arguments(
            "max-document-bytes-too-small.yaml",
            "presence.max-document-bytes",
            "must be 256..16777216, was 100"),
        arguments(
            "executor-lanes-too-many.yaml", "presence.executor-lanes", "must be 0..1024, was 2000"),
        // expires order
        arguments(
            "min-above-max.yaml",
            "presence.subscribe",
            "min-expires (600) is above max-expires (60)"),
        arguments(
            "default-outside-range.yaml",
            "presence.publish",
            "default-expires (30) is below min-expires (60, the default)"),
        arguments(
            "default-left-above-lowered-max.yaml",
            "presence.subscribe",
            "default-expires (3600, the default) is above max-expires (1800)"),
        // choices
        arguments(
            "bad-transport.yaml",
            "listeners[0].transport",
            "must be one of: udp, tcp, tls, was \"sctp\""),
        arguments(
            "upper-case-transport.yaml",
            "listeners[0].transport",
            "must be one of: udp, tcp, tls, was \"UDP\""),
        arguments(
            "bad-notify-timeout.yaml",
            "presence.notify-timeout",
            "must be one of: terminate, keep, was \"drop\""),
        // addresses and listener clashes
        arguments(
            "bad-address.yaml",
            "listeners[0].address",
            "(host names are not resolved), was \"localhost\""),
        arguments("bad-address-octet.yaml", "listeners[0].address", "was \"127.0.0.256\""),
        arguments("bad-address-ipv6.yaml", "listeners[0].address", "was \"2001:db8::g1\""),
        arguments("empty-listeners.yaml", "listeners", "must list at least one listener"),
        arguments(
            "duplicate-listener.yaml",
            "listeners[2]",
            "duplicates listeners[0] (udp 127.0.0.1:5060)"),
        arguments(
            "duplicate-listener-ipv6-spellings.yaml",
            "listeners[1]",
            "duplicates listeners[0] (tcp [::1]:5060)"),
        arguments(
            "overlapping-wildcard.yaml",
            "listeners[1]",
            "overlaps listeners[0] (udp 0.0.0.0:5060): 0.0.0.0 takes the port on every local IPv4 address"),
        arguments(
            "overlapping-ipv6-wildcard.yaml",
            "listeners[1]",
            "overlaps listeners[0] (tcp [::1]:5060): :: takes the port on every local IPv6 address"),
        arguments(
            "overlapping-dual-stack-wildcard.yaml",
            "listeners[1]",
            "overlaps listeners[0] (udp [::]:5060): :: takes the port on every IPv4 address too"),
        // presence authorization
        arguments(
            "authorization-unknown-default.yaml",
            "presence.authorization.default",
            "must be one of: allow, confirm, block, was \"ask\""),
        arguments(
            "authorization-upper-case-policy.yaml",
            "presence.authorization.default",
            "must be one of: allow, confirm, block, was \"CONFIRM\""),
        arguments(
            "authorization-unknown-domain-policy.yaml",
            "presence.authorization.domains.partner.example",
            "must be one of: allow, confirm, block, was \"trust\""),
        arguments(
            "authorization-domain-without-policy.yaml",
            "presence.authorization.domains.partner.example",
            "must be one of: allow, confirm, block, was empty"),
        arguments(
            "authorization-unknown-key.yaml",
            "presence.authorization.domain",
            "unknown key (expected one of: default, domains)"),
        arguments(
            "authorization-bad-domain.yaml",
            "presence.authorization.domains.partner_example",
            "must be a DNS host name such as partner.example (the watcher's domain; no wildcards),"
                + " was \"partner_example\""),
        arguments(
            "authorization-wildcard-domain.yaml",
            "presence.authorization.domains.*.partner.example",
            "must be a DNS host name such as partner.example (the watcher's domain; no wildcards),"
                + " was \"*.partner.example\""),
        arguments(
            "authorization-duplicate-domain.yaml",
            "presence.authorization.domains.Partner.Example",
            "duplicates presence.authorization.domains.partner.example (domains compare"
                + " case-insensitively)"),
        arguments(
            "authorization-domains-not-a-mapping.yaml",
            "presence.authorization.domains",
            "must be a mapping of watcher domain to allow, confirm or block, was a list"),
        // domains
        arguments("empty-domains.yaml", "domains", "must list at least one domain"),
        arguments(
            "bad-domain.yaml",
            "domains[0]",
            "must be a DNS host name such as herald.example.com, was \"herald_test\""),
        arguments("domain-is-ip-address.yaml", "domains[0]", "must be a DNS host name"),
        arguments(
            "domain-not-a-string.yaml",
            "domains[0]",
            "must be a DNS host name such as herald.example.com, was 42"),
        arguments("duplicate-domain.yaml", "domains[2]", "duplicates domains[0] (herald.test)"),
        // security
        arguments("security-realm-empty.yaml", "security.realm", "must not be empty, was \"\""),
        arguments(
            "security-realm-quote.yaml",
            "security.realm",
            "must not hold quotes, backslashes or control characters"),
        arguments(
            "trusted-peer-host-name.yaml",
            "security.trusted-peers[0]",
            "must be an IP address or a CIDR block such as 127.0.0.1 or 10.1.0.0/16"
                + " (host names are not resolved), was \"cucm.example.com\""),
        arguments(
            "trusted-peer-bad-prefix.yaml",
            "security.trusted-peers[0]",
            "must have a prefix of 1..32 after the /, was \"10.0.0.0/33\""),
        arguments(
            "trusted-peer-host-bits.yaml",
            "security.trusted-peers[0]",
            "has bits set after the /16 prefix; the block is 10.1.0.0/16"),
        arguments(
            "trusted-peer-everyone.yaml",
            "security.trusted-peers[0]",
            "trusts every address, which would turn authentication off"),
        arguments(
            "trusted-peer-wildcard.yaml", "security.trusted-peers[0]", "is the wildcard address"),
        arguments(
            "trusted-peer-duplicate.yaml",
            "security.trusted-peers[2]",
            "duplicates security.trusted-peers[0] (127.0.0.1)"),
        arguments(
            "trusted-peers-not-a-list.yaml",
            "security.trusted-peers",
            "must be a list, was \"127.0.0.1\""),
        arguments(
            "nonce-lifetime-too-short.yaml", "security.nonce-lifetime", "must be 10..86400, was 5"),
        arguments(
            "algorithms-empty.yaml", "security.algorithms", "must list at least one algorithm"),
        arguments(
            "algorithm-unknown.yaml",
            "security.algorithms[1]",
            "must be one of: SHA-256, MD5, was \"SHA-512\""),
        arguments(
            "algorithm-lower-case.yaml",
            "security.algorithms[0]",
            "must be one of: SHA-256, MD5, was \"md5\""),
        arguments(
            "algorithm-duplicate.yaml",
            "security.algorithms[2]",
            "duplicates security.algorithms[0] (MD5)"),
        // directory
        arguments(
            "directory-bad-source.yaml",
            "directory.source",
            "must be one of: file, ldap, none, was \"database\""),
        arguments("directory-empty.yaml", "directory", "must be a mapping, was empty"),
        arguments(
            "users-file-required.yaml", "directory.users-file", "required when source is file"),
        arguments(
            "users-file-not-found.yaml",
            "directory.users-file",
            "no-such-users.yaml: no such file"),
        arguments(
            "users-file-invalid.yaml",
            "directory.users-file",
            "duplicate-id.yaml: users[1].id: duplicates the id of users[0] (alice)"),
        arguments(
            "users-file-realm-mismatch.yaml",
            "directory.users-file",
            "are for realm herald.test, but security.realm is other.test (the first domain);"
                + " no user's digest would match"),
        arguments(
            "users-file-empty-path.yaml", "directory.users-file", "must be a file path, was \"\""),
        arguments(
            "ldap-with-file-source.yaml",
            "directory",
            "ldap is set but source is file (the default)"),
        arguments(
            "users-file-with-ldap-source.yaml",
            "directory",
            "users-file is set but source is ldap"),
        arguments(
            "users-file-with-none-source.yaml",
            "directory",
            "users-file is set but source is none"),
        arguments("ldap-required.yaml", "directory.ldap", "required when source is ldap"),
        arguments(
            "ldap-bad-url.yaml",
            "directory.ldap.url",
            "must be an ldap:// or ldaps:// URL such as ldap://127.0.0.1:389,"
                + " was \"http://127.0.0.1:389\""),
        arguments(
            "ldap-url-with-dn.yaml",
            "directory.ldap.url",
            "(scheme, host and port only; the base DN is base-dn)"),
        arguments(
            "ldap-bad-dn.yaml",
            "directory.ldap.base-dn",
            "must be a distinguished name such as ou=people,dc=example,dc=org, was \"people\""),
        arguments("ldap-missing-base-dn.yaml", "directory.ldap.base-dn", "required"),
        arguments(
            "ldap-both-passwords.yaml",
            "directory.ldap",
            "bind-password-file and bind-password-env are both set; give one"),
        arguments(
            "ldap-no-password.yaml",
            "directory.ldap",
            "needs bind-password-file or bind-password-env"
                + " (the password itself is never written in this file)"),
        arguments(
            "ldap-bad-env-name.yaml",
            "directory.ldap.bind-password-env",
            "must be the name of an environment variable"),
        arguments(
            "ldap-filter-without-placeholder.yaml",
            "directory.ldap.user-filter",
            "{0} must appear exactly once, was \"(uid=alice)\""),
        arguments(
            "ldap-filter-unbalanced.yaml",
            "directory.ldap.user-filter",
            "must be an LDAP filter that compares one attribute with {0}, as (uid={0}),"
                + " was \"(uid={0}\""),
        arguments(
            "ldap-bad-attribute.yaml",
            "directory.ldap.sip-address-attribute",
            "must be an LDAP attribute name such as sipAddress, was \"sip address\""),
        arguments(
            "ldap-timeout-too-short.yaml",
            "directory.ldap.timeout-ms",
            "must be 100..60000, was 10"),
        arguments(
            "ldap-cache-too-long.yaml",
            "directory.ldap.cache-seconds",
            "must be 0..3600, was 86400"),
        // tls
        arguments(
            "tls-required.yaml",
            "tls",
            "required when a listener's transport is tls (listeners[0]): it names Herald's keystore"),
        arguments(
            "tls-without-tls-listener.yaml",
            "tls",
            "is set but no listener's transport is tls; add one or remove the section"),
        arguments(
            "tls-and-tcp-same-port.yaml",
            "listeners[1]",
            "takes the socket of listeners[0] (tcp 127.0.0.1:5061)"
                + " (tcp and tls both take a TCP port)"),
        arguments("tls-keystore-missing.yaml", "tls.keystore", "required"),
        arguments("tls-keystore-not-found.yaml", "tls.keystore", "no-such.p12: no such file"),
        arguments(
            "tls-both-passwords.yaml",
            "tls",
            "keystore-password-file and keystore-password-env are both set; give one"),
        arguments(
            "tls-no-password.yaml",
            "tls",
            "needs keystore-password-file or keystore-password-env"
                + " (the password itself is never written in this file)"),
        arguments(
            "tls-bad-env-name.yaml",
            "tls.keystore-password-env",
            "must be the name of an environment variable"),
        arguments(
            "tls-truststore-no-password.yaml",
            "tls",
            "needs truststore-password-file or truststore-password-env"),
        arguments(
            "tls-truststore-password-without-truststore.yaml",
            "tls",
            "truststore-password-env is set but truststore is not"),
        arguments(
            "tls-truststore-required.yaml",
            "tls.truststore",
            "required when client-auth is need: it holds the CAs whose client certificates are"
                + " accepted"),
        arguments(
            "tls-bad-client-auth.yaml",
            "tls.client-auth",
            "must be one of: none, want, need, was \"required\""),
        arguments(
            "tls-peer-names-without-client-auth.yaml",
            "tls",
            "allowed-peer-names is set but client-auth is none (the default),"
                + " so peers present no certificate to check"),
        arguments(
            "tls-bad-peer-name.yaml",
            "tls.allowed-peer-names[0]",
            "must be a DNS host name such as herald.example.com, was \"cucm_1.example.org\""),
        arguments(
            "tls-duplicate-peer-name.yaml",
            "tls.allowed-peer-names[1]",
            "duplicates tls.allowed-peer-names[0] (cucm.example.org)"),
        // trunks
        arguments("trunks-not-a-list.yaml", "trunks", "must be a list, was a mapping"),
        arguments(
            "trunk-unknown-key.yaml",
            "trunks[0].keepalive",
            "unknown key (expected one of: name, peers, options-interval, telephony-source,"
                + " subscribe-expires, subscribe-linger)"),
        arguments("trunk-missing-name.yaml", "trunks[0].name", "required"),
        arguments(
            "trunk-bad-name.yaml",
            "trunks[0].name",
            "must be a trunk name: lower-case letters, digits and -"),
        arguments(
            "trunk-duplicate-name.yaml", "trunks[1]", "duplicates the name of trunks[0] (cucm1)"),
        arguments("trunk-missing-peers.yaml", "trunks[0].peers", "required"),
        arguments("trunk-no-peers.yaml", "trunks[0].peers", "must list at least one peer"),
        arguments(
            "trunk-bad-transport.yaml",
            "trunks[0].peers[0].transport",
            "must be one of: udp, tcp, tls, was \"sctp\""),
        arguments(
            "trunk-peer-host-name.yaml",
            "trunks[0].peers[0].host",
            "(host names are not resolved), was \"cucm.example.com\""),
        arguments("trunk-peer-bad-port.yaml", "trunks[0].peers[0].port", "must be 1..65535, was 0"),
        arguments(
            "trunk-duplicate-peer.yaml",
            "trunks[0].peers[1]",
            "duplicates trunks[0].peers[0] (192.0.2.10:5060/udp)"),
        arguments(
            "trunk-peer-in-two-trunks.yaml",
            "trunks[1].peers[0]",
            "is also a peer of trunks[0].peers[0] (192.0.2.10:5060/udp)"),
        arguments(
            "trunk-peer-without-listener.yaml",
            "trunks[0].peers[0].transport",
            "no listener's transport is tcp, so Herald cannot reach this peer"),
        arguments(
            "trunk-interval-zero.yaml", "trunks[0].options-interval", "must be 1..3600, was 0"),
        arguments(
            "trunk-subscribe-expires-too-short.yaml",
            "trunks[0].subscribe-expires",
            "must be 60..86400, was 30"),
        arguments(
            "trunk-subscribe-expires-too-long.yaml",
            "trunks[0].subscribe-expires",
            "must be 60..86400, was 100000"),
        arguments(
            "trunk-subscribe-linger-negative.yaml",
            "trunks[0].subscribe-linger",
            "must be 0..3600, was -1"),
        arguments(
            "trunk-subscribe-linger-too-long.yaml",
            "trunks[0].subscribe-linger",
            "must be 0..3600, was 7200"),
        arguments(
            "trunk-interval-too-long.yaml",
            "trunks[0].options-interval",
            "must be 1..3600, was 7200"),
        arguments(
            "trunk-bad-source-keyword.yaml",
            "trunks[0].telephony-source",
            "must be not-homed (every user not homed on Herald) or a list of addresses"),
        arguments(
            "trunk-bad-source-entry.yaml",
            "trunks[0].telephony-source[0]",
            "must be an address such as sip:alice@herald.test (no port, no parameters) or a"
                + " whole domain such as *@herald.test, was \"alice\""),
        arguments(
            "trunk-bad-pattern.yaml",
            "trunks[0].telephony-source[0]",
            "a pattern may only be *@domain"),
        arguments(
            "trunk-duplicate-source-entry.yaml",
            "trunks[0].telephony-source[1]",
            "duplicates trunks[0].telephony-source[0] (*@herald.test)"),
        // xmpp (the IM gateway)
        arguments(
            "xmpp-no-secret.yaml",
            "xmpp",
            "needs secret-file or secret-env (the password itself is never written in this file)"),
        arguments(
            "xmpp-both-secrets.yaml", "xmpp", "secret-file and secret-env are both set; give one"),
        arguments(
            "xmpp-secret-in-yaml.yaml",
            "xmpp.secret",
            "unknown key (expected one of: host, port, component-domain, secret-file, secret-env,"
                + " domains, reconnect, subscribe-linger, message-error-wait-ms)"),
        arguments(
            "xmpp-bad-subscribe-linger.yaml", "xmpp.subscribe-linger", "must be 0..3600, was 7200"),
        arguments("xmpp-secret-file-not-found.yaml", "xmpp.secret-file", "no-such-secret"),
        arguments(
            "xmpp-bad-secret-env.yaml",
            "xmpp.secret-env",
            "must be the name of an environment variable"),
        arguments("xmpp-bad-port.yaml", "xmpp.port", "must be 1..65535, was 70000"),
        arguments(
            "xmpp-bad-host.yaml",
            "xmpp.host",
            "must be an IP address such as 127.0.0.1 or a DNS host name such as xmpp.example.com,"
                + " was \"xmpp_server\""),
        arguments("xmpp-missing-component-domain.yaml", "xmpp.component-domain", "required"),
        arguments(
            "xmpp-bad-component-domain.yaml",
            "xmpp.component-domain",
            "must be a DNS host name such as herald.example.com, was \"sip@herald.test\""),
        arguments("xmpp-missing-domains.yaml", "xmpp.domains", "required"),
        arguments(
            "xmpp-empty-domains.yaml",
            "xmpp.domains",
            "must be a mapping of SIP domain to XMPP domain (herald.test: xmpp.herald.test) with at"
                + " least one entry, was a mapping"),
        arguments(
            "xmpp-bad-sip-domain.yaml",
            "xmpp.domains.*.herald.test",
            "must be a SIP domain, a DNS host name such as herald.test, was \"*.herald.test\""),
        arguments(
            "xmpp-bad-xmpp-domain.yaml",
            "xmpp.domains.herald.test",
            "must be a DNS host name such as herald.example.com, was \"xmpp_herald.test\""),
        arguments(
            "xmpp-sip-domain-not-served.yaml",
            "xmpp.domains.elsewhere.test",
            "is not one of the domains Herald serves (herald.test, other.test)"),
        arguments(
            "xmpp-duplicate-sip-domain.yaml",
            "xmpp.domains.Herald.Test",
            "duplicates xmpp.domains.herald.test (domains compare case-insensitively)"),
        arguments(
            "xmpp-two-sip-domains-one-xmpp-domain.yaml",
            "xmpp.domains.other.test",
            "maps to xmpp.herald.test like xmpp.domains.herald.test; the mapping must be one to"
                + " one"),
        arguments(
            "xmpp-maps-to-component-domain.yaml",
            "xmpp.domains.herald.test",
            "maps to the component domain sip.herald.test"),
        arguments(
            "xmpp-reconnect-min-above-max.yaml",
            "xmpp.reconnect",
            "min-delay-ms (90000) is above max-delay-ms (60000, the default)"),
        arguments(
            "xmpp-reconnect-too-short.yaml",
            "xmpp.reconnect.min-delay-ms",
            "must be 10..3600000, was 0"),
        arguments(
            "xmpp-message-error-wait-too-long.yaml",
            "xmpp.message-error-wait-ms",
            "must be 0..10000, was 60000"),
        // registrar
        arguments(
            "registrar-min-above-max.yaml",
            "registrar",
            "min-expires (600) is above max-expires (60)"),
        arguments(
            "registrar-default-above-max.yaml",
            "registrar",
            "default-expires (3600, the default) is above max-expires (1800)"),
        arguments(
            "registrar-max-contacts-zero.yaml",
            "registrar.max-contacts-per-address",
            "must be 1..1000, was 0"),
        arguments(
            "registrar-as-presence-not-boolean.yaml",
            "registrar.registration-as-presence",
            "must be true or false, was \"yes\""),
        arguments(
            "registrar-unknown-key.yaml",
            "registrar.max-contacts",
            "unknown key (expected one of: min-expires, default-expires, max-expires,"
                + " max-contacts-per-address, registration-as-presence)"),
        // the YAML itself
        arguments("duplicate-key.yaml", "listeners[0].port", "duplicate key (line 5, column"),
        arguments("not-yaml.yaml", "", "line 2, column 8: expected ',' or '}'"),
        arguments("tab-indentation.yaml", "", "line 6, column 1: found character '\\t(TAB)'"),
        arguments("empty-file.yaml", "", "the file is empty"),
        arguments("two-documents.yaml", "", "line 8, column 1: a second YAML document starts here"),
        arguments("alias.yaml", "", "line 7, column 5: YAML aliases (*main) are not supported"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("fixtures")
  void eachRuleReportsOneProblemWithItsPath(String fixture, String path, String message)
      throws Exception {
    ConfigException e =
        assertThrows(ConfigException.class, () -> ConfigLoader.load(fixture("invalid/" + fixture)));

    assertEquals(1, e.problems().size(), () -> "expected one problem, got " + e.problems());
    ConfigProblem problem = e.problems().get(0);
    assertEquals(path, problem.path(), () -> "path of " + problem);
    assertTrue(
        problem.message().contains(message), () -> "message of " + problem + " lacks: " + message);
  }

  /** A fixture left out of {@link #fixtures()} would test nothing; this catches it. */
  @Test
  void everyFixtureHasAnExpectation() throws Exception {
    Set<String> expected =
        fixtures().stream().map(a -> (String) a.get()[0]).collect(Collectors.toSet());
    Set<String> present;
    try (Stream<Path> files = Files.list(fixture("invalid"))) {
      present = files.map(file -> file.getFileName().toString()).collect(Collectors.toSet());
    }
    assertEquals(expected, present);
  }

  @Test
  void manyErrorsAreAllReportedInDocumentOrder() throws Exception {
    ConfigException e =
        assertThrows(ConfigException.class, () -> ConfigLoader.load(fixture("many-errors.yaml")));

    List<String> expected =
        List.of(
            "listeners[0].transport: must be one of: udp, tcp, tls, was \"TLS\"",
            "listeners[1].address: must be an IPv4 or IPv6 address such as 127.0.0.1 or ::1"
                + " (host names are not resolved), was \"localhost\"",
            "listeners[1].port: must be 1..65535, was 70000",
            "listeners[2].port: required",
            "listeners[4].protocol: unknown key (expected one of: transport, address, port)",
            "listeners[4]: overlaps listeners[3] (tcp 127.0.0.1:5060):"
                + " 0.0.0.0 takes the port on every local IPv4 address",
            "domains[1]: must be a DNS host name such as herald.example.com, was \"bad_domain\"",
            "domains[2]: duplicates domains[0] (herald.test)",
            "sip.thread-pool-size: must be an integer, was \"four\"",
            "sip.trace: must be true or false, was \"yes\"",
            "sip.max-message-size: must be 1024..16777216, was 100",
            "presence.publish.min-expire: unknown key (expected one of: min-expires, default-expires, max-expires)",
            "presence.publish: min-expires (600) is above max-expires (60)",
            "presence.subscribe: default-expires (10) is below min-expires (60, the default)",
            "presence.max-presentities: must be 1..100000000, was 0",
            "presence.notify-timeout: must be one of: terminate, keep, was \"drop\"",
            "presence.executor-lanes: must be 0..1024, was -1",
            "colour: unknown key (expected one of: listeners, domains, sip, presence, security,"
                + " directory, registrar, tls, trunks, xmpp)");
    assertEquals(expected, e.problems().stream().map(ConfigProblem::toString).toList());
  }

  static Path fixture(String name) throws URISyntaxException, IOException {
    var url = ConfigValidationTest.class.getResource("/config/" + name);
    if (url == null) {
      throw new IOException("no test resource config/" + name);
    }
    return Path.of(url.toURI());
  }
}
