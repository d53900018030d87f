package dev.natsbus.protocol;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import io.nats.client.impl.Headers;
import org.springframework.messaging.MessageHeaders;

/**
 * Maps NATS headers to spring-messaging header values and back. A NATS header may repeat:
 * one value maps to a {@code String}, several to a {@code List<String>}. Spring's own
 * headers ({@code id}, {@code timestamp}, {@code contentType}...) and nats-bus's
 * {@code nats_*} headers stay local and never go on the wire.
 */
public final class NatsHeaderMapper {

	/** Copies NATS headers into {@code target}. */
	public void toSpring(@Nullable Headers headers, Map<String, Object> target) {
		if (headers == null || headers.isEmpty() || (headers.size() == 1 && headers.containsKey(Deadlines.HEADER))) {
			return;
		}
		headers.forEach((name, values) -> {
			if (Deadlines.HEADER.equals(name)) {
				// Read by the listener container; the handler has no use for it.
				return;
			}
			if (values.size() == 1) {
				target.put(name, values.get(0));
			}
			else if (!values.isEmpty()) {
				target.put(name, List.copyOf(values));
			}
		});
	}

	/**
	 * NATS headers for the user headers of an outgoing message, or {@code null} when
	 * there are none.
	 */
	public @Nullable Headers fromSpring(@Nullable Map<String, ?> headers) {
		if (headers == null || headers.isEmpty()) {
			return null;
		}
		Headers natsHeaders = null;
		for (Map.Entry<String, ?> entry : headers.entrySet()) {
			String name = entry.getKey();
			Object value = entry.getValue();
			if (value == null || isLocal(name)) {
				continue;
			}
			if (natsHeaders == null) {
				natsHeaders = new Headers();
			}
			if (value instanceof Collection<?> values) {
				for (Object each : values) {
					natsHeaders.add(name, String.valueOf(each));
				}
			}
			else {
				natsHeaders.add(name, String.valueOf(value));
			}
		}
		return natsHeaders;
	}

	private static boolean isLocal(String name) {
		return name.startsWith("nats_") || MessageHeaders.ID.equals(name) || MessageHeaders.TIMESTAMP.equals(name)
				|| MessageHeaders.CONTENT_TYPE.equals(name) || MessageHeaders.REPLY_CHANNEL.equals(name)
				|| MessageHeaders.ERROR_CHANNEL.equals(name);
	}

}
