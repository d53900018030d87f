package dev.natsbus.template;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;

/**
 * The template's own reply inbox on one connection: one wildcard subscription
 * ({@code <inboxPrefix><nuid>.*}, with the connection's inbox prefix) whose replies are
 * routed by their last token to whoever opened it, so that any number of exchanges in
 * flight cost one subscription, not one each. jnats' own request inbox delivers only the
 * first reply of a request; this one delivers all of them, for as long as the route is
 * open.
 * <p>
 * A route is a cheap map entry: {@link #open} before publishing the request (so that no
 * reply can arrive unrouted), {@link #close} on every end. Replies to a closed route are
 * dropped. Routes run on the subscription's dispatcher thread, which delivers every reply
 * of the connection: they must only record and hand on, never block.
 */
final class ReplyInbox {

	private final Connection connection;

	/** {@code <inboxPrefix><nuid>.}: a reply subject is this plus a token. */
	private final String prefix;

	private final Dispatcher dispatcher;

	private final Map<String, Consumer<Message>> routes = new ConcurrentHashMap<>();

	private final AtomicLong tokens = new AtomicLong();

	private ReplyInbox(Connection connection) {
		this.connection = connection;
		this.prefix = connection.createInbox() + ".";
		this.dispatcher = connection.createDispatcher(this::route);
		this.dispatcher.subscribe(this.prefix + "*");
	}

	/**
	 * Subscribes the inbox of {@code connection}.
	 * @throws IllegalStateException when the connection is closed or draining
	 */
	static ReplyInbox subscribe(Connection connection) {
		return new ReplyInbox(connection);
	}

	/** The connection whose replies this inbox receives. */
	Connection connection() {
		return this.connection;
	}

	/**
	 * Opens a route: every reply sent to the returned subject goes to {@code route} until
	 * {@link #close}.
	 */
	String open(Consumer<Message> route) {
		String token = Long.toString(this.tokens.incrementAndGet(), Character.MAX_RADIX);
		this.routes.put(token, route);
		return this.prefix + token;
	}

	/** Closes the route of {@code replySubject}; later replies to it are dropped. */
	void close(String replySubject) {
		if (replySubject.startsWith(this.prefix)) {
			this.routes.remove(replySubject.substring(this.prefix.length()));
		}
	}

	/** Routes open now. */
	int routes() {
		return this.routes.size();
	}

	/** Whether the subscription is active (it survives reconnects, not a close). */
	boolean isActive() {
		return this.dispatcher.isActive();
	}

	/** Unsubscribes, unless the connection is closed already. */
	void unsubscribe() {
		this.routes.clear();
		if (this.connection.getStatus() != Connection.Status.CLOSED) {
			try {
				this.connection.closeDispatcher(this.dispatcher);
			}
			catch (RuntimeException ex) {
				// Closing at the same time: nothing left to unsubscribe.
			}
		}
	}

	private void route(Message reply) {
		String subject = reply.getSubject();
		if (subject == null || !subject.startsWith(this.prefix)) {
			return;
		}
		Consumer<Message> route = this.routes.get(subject.substring(this.prefix.length()));
		if (route != null) {
			route.accept(reply);
		}
	}

}
