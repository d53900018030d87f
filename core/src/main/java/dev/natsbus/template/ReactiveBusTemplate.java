package dev.natsbus.template;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

import dev.natsbus.BusException;
import dev.natsbus.ReactiveBusOperations;
import dev.natsbus.RequestMany;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.messaging.Message;
import org.springframework.util.Assert;

/**
 * {@link ReactiveBusOperations} on a {@link BusTemplate}: its asynchronous requests as
 * {@code Mono}s, and its request-many gathering as a {@code Flux} that emits each reply
 * as it arrives (converted on the template's callback executor, in arrival order).
 * Conversion, interceptors, deadlines, observation and the typed failures are those of
 * the template, as are its stop and drain: a gathering or request in progress when the
 * template stops is awaited up to its drain timeout, then failed as shutting down.
 */
public final class ReactiveBusTemplate implements ReactiveBusOperations {

	private final BusTemplate template;

	/**
	 * @param template the template that sends, receives and converts
	 */
	public ReactiveBusTemplate(BusTemplate template) {
		Assert.notNull(template, "template must not be null");
		this.template = template;
	}

	@Override
	public Mono<Void> send(String subject, @Nullable Object payload, @Nullable Map<String, ?> headers) {
		return Mono.fromRunnable(() -> this.template.send(subject, payload, headers));
	}

	@Override
	public <T> Mono<T> request(String subject, @Nullable Object payload, ParameterizedTypeReference<T> replyType,
			Duration timeout) {
		// Not suppressing cancellation: cancelling the Mono cancels the request's future,
		// which stops awaiting the reply.
		return Mono.fromFuture(() -> this.template.requestAsync(subject, payload, replyType, timeout), false);
	}

	@Override
	public <T> Mono<Message<T>> requestMessage(String subject, Message<?> request,
			ParameterizedTypeReference<T> replyType, Duration timeout) {
		return Mono.fromFuture(() -> this.template.requestMessageAsync(subject, request, replyType, timeout), false);
	}

	@Override
	public <T> Flux<T> requestMany(String subject, @Nullable Object payload, ParameterizedTypeReference<T> replyType,
			RequestMany options) {
		return Flux.defer(() -> gather(subject, payload, replyType.getType(), options));
	}

	@Override
	public Duration getDefaultTimeout() {
		return this.template.getDefaultTimeout();
	}

	/** The template this view sends with. */
	public BusTemplate getTemplate() {
		return this.template;
	}

	/**
	 * One subscription's gathering: replies arrive on the inbox's dispatcher thread and
	 * the end on another, so both go into the sink under one lock (a sink takes one
	 * signal at a time); they leave it on the callback executor, where each is read.
	 */
	private <T> Flux<T> gather(String subject, @Nullable Object payload, Type replyType, RequestMany options) {
		Sinks.Many<ArrivedReply<T>> arrivals = Sinks.many().unicast().onBackpressureBuffer();
		Object lock = new Object();
		CompletableFuture<Gathered> end = this.template.requestManyEach(subject, payload, replyType, options,
				(ArrivedReply<T> reply) -> {
					synchronized (lock) {
						arrivals.tryEmitNext(reply);
					}
				});
		end.whenComplete((gathered, ex) -> {
			synchronized (lock) {
				if (ex != null) {
					arrivals.tryEmitError(
							(ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex);
				}
				else {
					arrivals.tryEmitComplete();
				}
			}
		});
		AtomicReference<@Nullable BusException> firstError = new AtomicReference<>();
		return arrivals.asFlux()
			.publishOn(Schedulers.fromExecutor(this.template.callbackExecutor()))
			.<T>handle((reply, sink) -> {
				try {
					T value = reply.read();
					if (value != null) {
						sink.next(value);
					}
				}
				catch (BusException ex) {
					// The other replies still count; the error is told at the end.
					firstError.compareAndSet(null, ex);
				}
			})
			.concatWith(Mono.defer(() -> {
				BusException error = firstError.get();
				return (error != null) ? Mono.error(error) : Mono.empty();
			}))
			.doOnCancel(() -> end.cancel(false));
	}

}
