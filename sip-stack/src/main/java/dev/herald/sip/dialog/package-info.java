/**
 * Dialog state that Herald keeps itself (JAIN-SIP's automatic dialog support is off): a dialog is a
 * few strings and a CSeq counter, so a hundred thousand subscriptions stay cheap.
 */
package dev.herald.sip.dialog;
