/**
 * Integration tests: Herald started on free loopback ports, driven by SIPp scenarios from
 * test-fixtures, asserting SIPp's exit code and counts.
 */
package dev.herald.it;
