package dev.natsbus.protocol;

import java.time.Duration;

import io.nats.client.impl.Headers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests carry their deadline; those without headers of their own share read-only
 * headers.
 */
class DeadlineHeadersTests {

	private final DeadlineHeaders deadlineHeaders = new DeadlineHeaders();

	@Test
	void stampsTheDeadlineAsEpochMillis() {
		long before = System.currentTimeMillis();
		Headers headers = this.deadlineHeaders.stamp(null, Duration.ofSeconds(2));
		long after = System.currentTimeMillis();
		assertThat(Long.parseLong(headers.getFirst(Deadlines.HEADER))).isBetween(before + 2000, after + 2000);
		assertThat(headers.size()).isOne();
	}

	@Test
	void sharesReadOnlyHeadersBetweenRequestsWithTheSameDeadline() {
		// jnats sends read-only headers as they are and copies writable ones for every
		// message.
		Headers first = this.deadlineHeaders.stamp(null, Duration.ofSeconds(2));
		Headers second = this.deadlineHeaders.stamp(null, Duration.ofSeconds(2));
		while (!first.getFirst(Deadlines.HEADER).equals(second.getFirst(Deadlines.HEADER))) {
			// The two fell into different milliseconds: try again.
			first = second;
			second = this.deadlineHeaders.stamp(null, Duration.ofSeconds(2));
		}
		assertThat(second).isSameAs(first);
		assertThat(first.isReadOnly()).isTrue();
	}

	@Test
	void aDifferentDeadlineGetsItsOwnHeaders() {
		Headers short1 = this.deadlineHeaders.stamp(null, Duration.ofMillis(100));
		Headers long1 = this.deadlineHeaders.stamp(null, Duration.ofSeconds(100));
		assertThat(long1).isNotSameAs(short1);
		assertThat(Long.parseLong(long1.getFirst(Deadlines.HEADER)))
			.isGreaterThan(Long.parseLong(short1.getFirst(Deadlines.HEADER)));
	}

	@Test
	void addsTheDeadlineToHeadersOfTheRequestItself() {
		Headers own = new Headers().put("traceparent", "00-abc-def-01");
		long before = System.currentTimeMillis();
		Headers stamped = this.deadlineHeaders.stamp(own, Duration.ofSeconds(1));
		long after = System.currentTimeMillis();
		assertThat(stamped).isSameAs(own);
		assertThat(stamped.getFirst("traceparent")).isEqualTo("00-abc-def-01");
		assertThat(stamped.get(Deadlines.HEADER)).hasSize(1);
		assertThat(Long.parseLong(stamped.getFirst(Deadlines.HEADER))).isBetween(before + 1000, after + 1000);
		assertThat(stamped.size()).isEqualTo(2);
	}

}
