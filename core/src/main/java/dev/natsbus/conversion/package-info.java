/**
 * Payloads to and from the bytes of NATS messages: the wire format both sides share.
 */
@NullMarked
package dev.natsbus.conversion;

import org.jspecify.annotations.NullMarked;
