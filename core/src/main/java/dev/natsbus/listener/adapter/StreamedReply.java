package dev.natsbus.listener.adapter;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.natsbus.conversion.PayloadConverter;
import dev.natsbus.observation.BusListenerObservation;
import dev.natsbus.protocol.Deadlines;
import dev.natsbus.protocol.NatsHeaderMapper;
import io.micrometer.observation.Observation;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import org.jspecify.annotations.Nullable;

/**
 * The replies of one request whose listener returned a stream: each element converted and
 * published as it comes (jnats' bounded outgoing queue holds the producer back when the
 * connection cannot keep up), then the sentinel, or an error reply on a failure, and
 * nothing more once the caller's deadline has passed. The whole stream is one invocation:
 * {@link Outcome} hears of its end exactly once.
 */
final class StreamedReply implements ReplySink {

	private static final byte[] SENTINEL = new byte[0];

	/** What the adapter does with the end of the stream. */
	interface Outcome {

		/** The stream ended: with the sentinel, or early because the caller gave up. */
		void succeeded();

		/** The stream failed: the error reply is for the outcome to send. */
		void failed(Throwable failure);

		/** A reply could not be published (what could be said was said). */
		void notSent();

	}

	/** Publishes one reply to the request; false when it could not be. */
	interface Publisher {

		boolean publish(@Nullable Headers headers, byte[] body);

	}

	private final Message request;

	private final PayloadConverter converter;

	private final NatsHeaderMapper headerMapper;

	private final Publisher publisher;

	private final Outcome outcome;

	private final long deadline;

	private final AtomicBoolean ended = new AtomicBoolean();

	private long published;

	/**
	 * The thread inside {@link #emit} while it runs: the outcome waits until it is out.
	 */
	private @Nullable Thread emitting;

	private @Nullable Runnable deferred;

	StreamedReply(Message request, PayloadConverter converter, NatsHeaderMapper headerMapper, Publisher publisher,
			Outcome outcome) {
		this.request = request;
		this.converter = converter;
		this.headerMapper = headerMapper;
		this.publisher = publisher;
		this.outcome = outcome;
		this.deadline = Deadlines.deadlineMillis(request);
	}

	/**
	 * Has {@code adapter} emit {@code result} into this sink, in the observation's scope
	 * (a lazy stream does its work while it is pulled). An end reached on this thread is
	 * reported once the scope is closed, as an observation must not stop inside its own
	 * scope.
	 */
	void emit(ReplyStreamAdapter adapter, Object result, @Nullable BusListenerObservation observation) {
		synchronized (this) {
			this.emitting = Thread.currentThread();
		}
		try (Observation.Scope scope = (observation != null) ? observation.openScope() : null) {
			adapter.emit(result, this);
		}
		catch (Throwable ex) {
			error(ex);
		}
		finally {
			Runnable later;
			synchronized (this) {
				this.emitting = null;
				later = this.deferred;
				this.deferred = null;
			}
			if (later != null) {
				later.run();
			}
		}
	}

	@Override
	public boolean next(@Nullable Object element) {
		if (this.ended.get()) {
			return false;
		}
		if (System.currentTimeMillis() > this.deadline) {
			// The caller has given up: the rest would only cost capacity.
			if (end()) {
				report(this.outcome::succeeded);
			}
			return false;
		}
		byte[] body;
		Headers headers = null;
		try {
			if (element instanceof org.springframework.messaging.Message<?> message) {
				body = this.converter.toBytes(message.getPayload());
				headers = this.headerMapper.fromSpring(message.getHeaders());
			}
			else {
				body = this.converter.toBytes(element);
			}
		}
		catch (RuntimeException ex) {
			error(ex);
			return false;
		}
		if (body.length == 0) {
			error(new IllegalStateException("Element " + this.published + " of the streamed reply is empty ("
					+ ((element != null) ? element.getClass().getName() : "null")
					+ "): an empty reply is the sentinel that ends the stream for the caller"));
			return false;
		}
		if (!this.publisher.publish(headers, body)) {
			if (end()) {
				report(this.outcome::notSent);
			}
			return false;
		}
		this.published++;
		return true;
	}

	@Override
	public void complete() {
		if (end()) {
			boolean sent = this.publisher.publish(null, SENTINEL);
			report(sent ? this.outcome::succeeded : this.outcome::notSent);
		}
	}

	@Override
	public void error(Throwable failure) {
		if (end()) {
			report(() -> this.outcome.failed(failure));
		}
	}

	/** Whether this call ends the stream (the first to try). */
	private boolean end() {
		return this.ended.compareAndSet(false, true);
	}

	private void report(Runnable action) {
		synchronized (this) {
			if (Thread.currentThread() == this.emitting) {
				this.deferred = action;
				return;
			}
		}
		action.run();
	}

}
