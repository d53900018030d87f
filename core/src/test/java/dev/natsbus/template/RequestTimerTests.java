package dev.natsbus.template;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One thread expires the asynchronous requests of a template when their timeouts end,
 * costs nothing per reply, and parks while no request has a timeout.
 */
class RequestTimerTests {

	private static final String NAME = "request-timer-test-" + System.nanoTime();

	/** The timer reads only the deadlines; where a request went plays no part here. */
	private static final String SUBJECT = "timer.test";

	private final InFlightRequests requests = new InFlightRequests();

	private final RequestTimer timer = new RequestTimer((runnable) -> {
		Thread thread = new Thread(runnable, NAME);
		thread.setDaemon(true);
		return thread;
	}, this.requests);

	@AfterEach
	void close() {
		this.timer.close();
	}

	@Test
	void failsARequestWithATimeoutExceptionWhenItsTimeoutEnds() {
		CompletableFuture<String> reply = expiring(Duration.ofMillis(100));
		long start = System.nanoTime();
		await().atMost(Duration.ofSeconds(5)).until(reply::isDone);
		assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(95);
		assertThat(reply).failsWithin(Duration.ZERO).withThrowableThat().withCauseInstanceOf(TimeoutException.class);
	}

	@Test
	void leavesAnsweredRequestsAndRequestsWithoutTimeoutAlone() {
		CompletableFuture<String> answered = expiring(Duration.ofMillis(50));
		answered.complete("reply");
		this.requests.remove(answered);
		CompletableFuture<String> waitingItself = new CompletableFuture<>();
		this.requests.add(waitingItself, SUBJECT, null);
		CompletableFuture<String> expiring = expiring(Duration.ofMillis(100));
		await().atMost(Duration.ofSeconds(5)).until(expiring::isDone);
		assertThat(answered).isCompletedWithValue("reply");
		assertThat(waitingItself).isNotDone();
		assertThat(this.requests.size()).isEqualTo(2);
	}

	@Test
	void parksWhileNoRequestHasATimeoutAndWakesForTheNextOne() {
		CompletableFuture<String> first = expiring(Duration.ofMillis(20));
		await().atMost(Duration.ofSeconds(5)).until(first::isDone);
		this.requests.remove(first);
		Thread thread = timerThread();
		await().atMost(Duration.ofSeconds(5)).until(() -> thread.getState() == Thread.State.WAITING);
		CompletableFuture<String> second = expiring(Duration.ofMillis(20));
		await().atMost(Duration.ofSeconds(5)).until(second::isDone);
		assertThat(second).isCompletedExceptionally();
	}

	@Test
	void aNegativeTimeoutHasEndedAlreadyAndAnEndlessOneNeverEnds() {
		CompletableFuture<String> endless = expiring(Duration.ofSeconds(Long.MAX_VALUE));
		CompletableFuture<String> overdue = expiring(Duration.ofMillis(-10));
		await().atMost(Duration.ofSeconds(5)).until(overdue::isDone);
		assertThat(overdue).isCompletedExceptionally();
		assertThat(endless).isNotDone();
	}

	@Test
	void closeEndsTheThread() {
		CompletableFuture<String> reply = expiring(Duration.ofSeconds(30));
		Thread thread = timerThread();
		this.timer.close();
		await().atMost(Duration.ofSeconds(5)).until(() -> !thread.isAlive());
		assertThat(reply).isNotDone();
	}

	private CompletableFuture<String> expiring(Duration timeout) {
		CompletableFuture<String> reply = new CompletableFuture<>();
		this.requests.add(reply, timeout, SUBJECT, null);
		this.timer.watch();
		return reply;
	}

	private static Thread timerThread() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals(NAME))
			.findFirst()
			.orElseThrow();
	}

}
