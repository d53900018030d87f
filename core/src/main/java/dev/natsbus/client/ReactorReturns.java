package dev.natsbus.client;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import dev.natsbus.BusReplies;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reactor's return types, the only class of nats-bus that names them: it is loaded when a
 * client method declares {@code Mono} or {@code Flux}, which cannot be declared without
 * Reactor. Both are cold: the request is sent on subscription, once per subscription, and
 * cancelling the subscription cancels the request (or the gathering).
 */
final class ReactorReturns {

	private ReactorReturns() {
	}

	/** A {@code Mono} of the future's value; a {@code null} value completes it empty. */
	static <T> Mono<T> mono(Supplier<CompletableFuture<T>> request) {
		return Mono.fromFuture(request, false);
	}

	/**
	 * The gathered values one by one once the gathering has ended (empty replies, which
	 * convert to {@code null}, are left out), then the first error reply as the error, if
	 * any.
	 */
	static <T> Flux<T> flux(Supplier<CompletableFuture<BusReplies<T>>> gathering) {
		return Mono.fromFuture(gathering, false).flatMapMany((replies) -> {
			Flux<T> values = Flux.fromStream(replies.values().stream().filter((value) -> value != null));
			return replies.errors().isEmpty() ? values : values.concatWith(Flux.error(replies.errors().get(0)));
		});
	}

}
