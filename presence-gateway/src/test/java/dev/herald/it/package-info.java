/**
 * Integration tests: Herald started on free loopback ports and driven by real peers: SIPp scenarios
 * from test-fixtures (asserting SIPp's exit code and counts), and, where Debian's SIPp cannot go
 * (SHA-256 digest, crafted Authorization headers, TLS), small Java clients over real UDP and TLS
 * sockets ({@code SipUdpClient}, {@code TlsIT}).
 */
package dev.herald.it;
