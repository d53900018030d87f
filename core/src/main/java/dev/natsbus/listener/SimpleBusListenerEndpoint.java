package dev.natsbus.listener;

import dev.natsbus.BusListenerErrorHandler;
import dev.natsbus.listener.adapter.BusHandlerMethodFactory;
import dev.natsbus.listener.adapter.IncomingMessages;
import dev.natsbus.listener.adapter.ListenerInvocation;
import dev.natsbus.protocol.Subjects;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A listener registered in code with {@link BusListenerRegistry#registerListener}, for
 * handlers that are not annotated methods:
 *
 * <pre class="code">
 * registry.registerListener(SimpleBusListenerEndpoint.of("echo", "tools.echo", (message) -&gt; message.getPayload()));
 * </pre>
 */
public final class SimpleBusListenerEndpoint implements BusListenerEndpoint {

	private final String id;

	private final String subject;

	private final BusMessageHandler handler;

	private @Nullable String queue;

	private @Nullable Integer concurrency;

	private boolean broadcast;

	private @Nullable BusListenerErrorHandler errorHandler;

	private SimpleBusListenerEndpoint(String id, String subject, BusMessageHandler handler) {
		Assert.hasText(id, "id must not be empty");
		Assert.notNull(handler, "handler must not be null");
		this.id = id;
		this.subject = Subjects.requireSubscribable(subject);
		this.handler = handler;
	}

	/**
	 * A listener on {@code subject}, in the factory's default queue group and
	 * concurrency.
	 */
	public static SimpleBusListenerEndpoint of(String id, String subject, BusMessageHandler handler) {
		return new SimpleBusListenerEndpoint(id, subject, handler);
	}

	/** In queue group {@code queue} instead of the factory's default. */
	public SimpleBusListenerEndpoint queue(String queue) {
		Assert.state(!this.broadcast, "a broadcast listener has no queue group");
		this.queue = Subjects.requireQueueName(queue);
		return this;
	}

	/**
	 * In no queue group: every instance receives every message (see
	 * {@link dev.natsbus.BusListener#broadcast()}).
	 */
	public SimpleBusListenerEndpoint broadcast() {
		Assert.state(this.queue == null,
				() -> "a broadcast listener has no queue group, but it has '" + this.queue + "'");
		this.broadcast = true;
		return this;
	}

	/**
	 * With at most {@code concurrency} invocations at once instead of the factory's
	 * default.
	 */
	public SimpleBusListenerEndpoint concurrency(int concurrency) {
		Assert.isTrue(concurrency >= 1, "concurrency must be at least 1");
		this.concurrency = concurrency;
		return this;
	}

	/**
	 * With {@code errorHandler} turning its failures into replies instead of the
	 * factory's default.
	 */
	public SimpleBusListenerEndpoint errorHandler(BusListenerErrorHandler errorHandler) {
		Assert.notNull(errorHandler, "errorHandler must not be null");
		this.errorHandler = errorHandler;
		return this;
	}

	@Override
	public String getId() {
		return this.id;
	}

	@Override
	public String getSubject() {
		return this.subject;
	}

	@Override
	public @Nullable String getQueue() {
		return this.queue;
	}

	@Override
	public boolean isBroadcast() {
		return this.broadcast;
	}

	@Override
	public @Nullable Integer getConcurrency() {
		return this.concurrency;
	}

	@Override
	public @Nullable BusListenerErrorHandler getErrorHandler() {
		return this.errorHandler;
	}

	@Override
	public ListenerInvocation createInvocation(BusHandlerMethodFactory handlerMethodFactory,
			IncomingMessages incomingMessages) {
		return (message) -> this.handler.handle(incomingMessages.toSpring(message));
	}

	@Override
	public String describe() {
		return "listener '" + this.id + "' registered in code (" + this.handler.getClass().getName() + ")";
	}

}
