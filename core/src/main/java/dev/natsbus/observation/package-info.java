/**
 * Micrometer observations of sends, requests and listener invocations, with trace context
 * in NATS headers.
 */
@NullMarked
package dev.natsbus.observation;

import org.jspecify.annotations.NullMarked;
