/**
 * The CUCM side of Herald: the health of each trunk's peers (OPTIONS pings, as CUCM itself keeps
 * them) and, later, the back-end subscriptions of the presence gateway.
 */
package dev.herald.cucm;
