package dev.natsbus.template;

import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import org.jspecify.annotations.Nullable;

/**
 * A message checked and converted, ready to be published on its connection.
 *
 * @param subject where it goes
 * @param connection the pooled connection chosen for it, connected when it was prepared
 * @param headers its NATS headers (the user's, the trace context, the deadline), or
 * {@code null} for none
 * @param body its converted payload
 * @param intercepted the message as the client interceptors last saw it, or {@code null}
 * when there are none
 */
record OutgoingMessage(String subject, Connection connection, @Nullable Headers headers, byte[] body,
		org.springframework.messaging.@Nullable Message<byte[]> intercepted) {
}
