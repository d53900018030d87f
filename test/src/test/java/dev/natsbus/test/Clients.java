package dev.natsbus.test;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** jnats helpers shared by the tests. */
final class Clients {

	private Clients() {
	}

	/** Connects once, without retrying, so a missing server fails fast. */
	static Connection connectOnce(String url) throws IOException, InterruptedException {
		return Nats.connect(onceOptions(url).build());
	}

	static Options.Builder onceOptions(String url) {
		return Options.builder().server(url).noReconnect().connectionTimeout(Duration.ofSeconds(2));
	}

	/** Answers every request on {@code subject} with the upper-cased payload. */
	static Dispatcher upperCaseResponder(Connection connection, String subject) throws Exception {
		Dispatcher dispatcher = connection.createDispatcher(message -> connection.publish(message.getReplyTo(),
				new String(message.getData(), StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8)));
		dispatcher.subscribe(subject);
		connection.flush(Duration.ofSeconds(2));
		return dispatcher;
	}

	/** One request with a short timeout; {@code null} when no reply arrived. */
	static String request(Connection connection, String subject, String payload) throws Exception {
		try {
			Message reply = connection.request(subject, payload.getBytes(StandardCharsets.UTF_8),
					Duration.ofMillis(500));
			return reply == null ? null : new String(reply.getData(), StandardCharsets.UTF_8);
		}
		catch (java.util.concurrent.CancellationException ex) {
			// jnats cancels the request future when the server reports no responders.
			return null;
		}
	}

}
