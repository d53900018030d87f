package dev.natsbus.listener;

import java.lang.reflect.Method;

import io.nats.client.Connection;
import io.nats.client.Subscription;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the server to stop sending to a subscription while jnats keeps it, so that the
 * messages already on their way still reach its handler. jnats' public API has no such
 * call: {@code Dispatcher.unsubscribe} and the end of {@code Subscription.drain} both end
 * the subscription in the client at once, and a dispatcher skips the messages of an ended
 * subscription that are still in its queue. On a dispatcher that other listeners share
 * that queue is rarely empty, so this uses the call jnats' own drain makes
 * ({@code NatsConnection.sendUnsub}), found once by reflection. Where that is not
 * possible (a jnats that changed it, a module path or native image that refuses the
 * access) {@link #isAvailable()} says so and the container falls back to jnats' drain.
 */
final class ServerUnsubscribe {

	private static final Logger logger = LoggerFactory.getLogger(ServerUnsubscribe.class);

	private static final @Nullable Method SEND_UNSUB = findSendUnsub();

	private ServerUnsubscribe() {
	}

	/** Whether {@link #send} can be used. */
	static boolean isAvailable() {
		return SEND_UNSUB != null;
	}

	/**
	 * Writes {@code UNSUB} for {@code subscription} on {@code connection}, leaving the
	 * subscription active in the client; returns whether it was written.
	 */
	static boolean send(Connection connection, Subscription subscription) {
		Method sendUnsub = SEND_UNSUB;
		if (sendUnsub == null || !sendUnsub.getDeclaringClass().isInstance(connection)
				|| !sendUnsub.getParameterTypes()[0].isInstance(subscription)) {
			return false;
		}
		try {
			sendUnsub.invoke(connection, subscription, -1);
			return true;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.debug("Could not unsubscribe on the server only: {}", ex.toString());
			return false;
		}
	}

	private static @Nullable Method findSendUnsub() {
		try {
			Class<?> connection = Class.forName("io.nats.client.impl.NatsConnection", false,
					ServerUnsubscribe.class.getClassLoader());
			Class<?> subscription = Class.forName("io.nats.client.impl.NatsSubscription", false,
					ServerUnsubscribe.class.getClassLoader());
			Method method = connection.getDeclaredMethod("sendUnsub", subscription, int.class);
			method.setAccessible(true);
			return method;
		}
		catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
			logger.debug("Pausing a listener on a shared dispatcher falls back to jnats' drain: {}", ex.toString());
			return null;
		}
	}

}
