/** Implementation details of the SIP layer; not API. */
package dev.herald.sip.internal;
