package dev.natsbus.listener.adapter;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/** A drain must also wait for the replies of handlers that answer with a future. */
@Timeout(10)
class AsyncReplyTrackerTests {

	private final AsyncReplyTracker tracker = new AsyncReplyTracker();

	private final Handlers handlers = new Handlers();

	@Test
	void countsAnAsynchronousResultUntilTheReplyAttachedToItHasRun() throws Exception {
		Object result = invoke("later");
		assertThat(result).isInstanceOf(CompletionStage.class);
		assertThat(this.tracker.pending()).isEqualTo(1);
		assertThat(this.tracker.awaitNone(Duration.ofMillis(50))).isFalse();
		AtomicInteger pendingWhileReplying = new AtomicInteger(-1);
		// What ListenerInvoker does: reply when the stage completes.
		((CompletionStage<?>) result).whenComplete((value, ex) -> pendingWhileReplying.set(this.tracker.pending()));
		this.handlers.later.complete("done");
		assertThat(pendingWhileReplying).hasValue(1);
		assertThat(this.tracker.pending()).isZero();
		assertThat(this.tracker.awaitNone(Duration.ZERO)).isTrue();
		assertThat(((CompletableFuture<?>) result).join()).isEqualTo("done");
	}

	@Test
	void relaysFailuresAndCountsThemDownToo() throws Exception {
		CompletableFuture<?> result = (CompletableFuture<?>) invoke("later");
		this.handlers.later.completeExceptionally(new IllegalStateException("boom"));
		assertThat(result).isCompletedExceptionally();
		assertThat(this.tracker.pending()).isZero();
	}

	@Test
	void leavesSynchronousResultsAlone() throws Exception {
		assertThat(invoke("now")).isEqualTo("now");
		assertThat(this.tracker.pending()).isZero();
	}

	@Test
	void aStageAlreadyCompleteIsNotLeftCounted() throws Exception {
		CompletableFuture<?> result = (CompletableFuture<?>) invoke("done");
		assertThat(result.join()).isEqualTo("done");
		assertThat(this.tracker.pending()).isZero();
	}

	@Test
	void awaitReturnsOnceTheLastReplyIsOut() throws Exception {
		invoke("later");
		CompletableFuture.delayedExecutor(100, java.util.concurrent.TimeUnit.MILLISECONDS)
			.execute(() -> this.handlers.later.complete("x"));
		assertThat(this.tracker.awaitNone(Duration.ofSeconds(5))).isTrue();
	}

	private Object invoke(String methodName) throws Exception {
		InvocableHandlerMethod method = new InvocableHandlerMethod(this.handlers,
				Handlers.class.getDeclaredMethod(methodName));
		return this.tracker.track((message) -> method.invoke(MessageBuilder.withPayload(new byte[0]).build()))
			.invoke(null);
	}

	static class Handlers {

		final CompletableFuture<String> later = new CompletableFuture<>();

		public CompletableFuture<String> later() {
			return this.later;
		}

		public String now() {
			return "now";
		}

		public CompletableFuture<String> done() {
			return CompletableFuture.completedFuture("done");
		}

	}

}
