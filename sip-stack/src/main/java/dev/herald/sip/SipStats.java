package dev.herald.sip;

/**
 * A snapshot of the SIP layer's counters.
 *
 * @param serverTransactions server transactions JAIN-SIP holds (any state, Completed ones included:
 *     a non-INVITE one over UDP lingers 32 s, RFC 3261 Timer J)
 * @param clientTransactions client transactions JAIN-SIP holds (any state)
 * @param stackDialogs dialogs in JAIN-SIP's tables; Herald keeps its subscription dialogs itself,
 *     so this stays 0 unless something leaks into the stack
 * @param tcpConnections TCP connections Herald accepted and holds open
 */
public record SipStats(
    int serverTransactions, int clientTransactions, int stackDialogs, int tcpConnections) {}
