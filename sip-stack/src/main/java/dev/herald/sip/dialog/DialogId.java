package dev.herald.sip.dialog;

/** A dialog's identity as seen by Herald (RFC 3261 §12): Call-ID, local tag, remote tag. */
public record DialogId(String callId, String localTag, String remoteTag) {}
