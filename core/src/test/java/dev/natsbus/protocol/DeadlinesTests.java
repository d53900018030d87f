package dev.natsbus.protocol;

import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading the caller's deadline from a delivered request: only a readable deadline in the
 * past expires it.
 */
class DeadlinesTests {

	@Test
	void aRequestWithoutHeadersNeverExpires() {
		Message message = message(null);
		assertThat(Deadlines.deadlineMillis(message)).isEqualTo(Long.MAX_VALUE);
		assertThat(Deadlines.isExpired(message)).isFalse();
	}

	@Test
	void aRequestWithOtherHeadersOnlyNeverExpires() {
		Message message = message(new Headers().put("traceparent", "00-abc-def-01"));
		assertThat(Deadlines.deadlineMillis(message)).isEqualTo(Long.MAX_VALUE);
		assertThat(Deadlines.isExpired(message)).isFalse();
	}

	@Test
	void anUnreadableDeadlineNeverExpires() {
		Message message = message(new Headers().put(Deadlines.HEADER, "soon"));
		assertThat(Deadlines.deadlineMillis(message)).isEqualTo(Long.MAX_VALUE);
		assertThat(Deadlines.isExpired(message)).isFalse();
	}

	@Test
	void readsTheDeadlineWithSurroundingSpaces() {
		assertThat(Deadlines.deadlineMillis(message(new Headers().put(Deadlines.HEADER, " 1234 ")))).isEqualTo(1234);
	}

	@Test
	void aDeadlineInThePastHasExpired() {
		long past = System.currentTimeMillis() - 60_000;
		assertThat(Deadlines.isExpired(message(new Headers().put(Deadlines.HEADER, Long.toString(past))))).isTrue();
	}

	@Test
	void aDeadlineInTheFutureHasNotExpired() {
		long future = System.currentTimeMillis() + 60_000;
		Message message = message(new Headers().put(Deadlines.HEADER, Long.toString(future)));
		assertThat(Deadlines.isExpired(message)).isFalse();
		assertThat(Deadlines.deadlineMillis(message)).isEqualTo(future);
	}

	static Message message(@Nullable Headers headers) {
		return NatsMessage.builder().subject("orders.get").headers(headers).data(new byte[0]).build();
	}

}
