package dev.natsbus.listener.adapter;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an unreadable request's error text says the listener expected, in JSON's terms,
 * for each kind of parameter type.
 */
class ExpectedKindTests {

	@Test
	void untypedPayloadsExpectJson() {
		assertThat(RequestProblems.kind(null)).isEqualTo("JSON");
		assertThat(RequestProblems.kind(Object.class)).isEqualTo("JSON");
	}

	@Test
	void bytesAndText() {
		assertThat(RequestProblems.kind(byte[].class)).isEqualTo("bytes");
		assertThat(RequestProblems.kind(String.class)).isEqualTo("text");
		assertThat(RequestProblems.kind(StringBuilder.class)).isEqualTo("text");
		assertThat(RequestProblems.kind(char.class)).isEqualTo("text");
		assertThat(RequestProblems.kind(Character.class)).isEqualTo("text");
	}

	@Test
	void booleans() {
		assertThat(RequestProblems.kind(boolean.class)).isEqualTo("true or false");
		assertThat(RequestProblems.kind(Boolean.class)).isEqualTo("true or false");
	}

	@Test
	void wholeNumbers() {
		for (Class<?> type : List.of(int.class, long.class, short.class, byte.class, Integer.class, Long.class,
				Short.class, Byte.class, BigInteger.class)) {
			assertThat(RequestProblems.kind(type)).as(type.getName()).isEqualTo("a whole number");
		}
	}

	@Test
	void otherNumbers() {
		for (Class<?> type : List.of(double.class, float.class, Double.class, Float.class, BigDecimal.class)) {
			assertThat(RequestProblems.kind(type)).as(type.getName()).isEqualTo("a number");
		}
	}

	@Test
	void enumsListTheirConstantsUpToTen() {
		assertThat(RequestProblems.kind(Side.class)).isEqualTo("one of BUY, SELL");
		assertThat(RequestProblems.kind(Ten.class)).isEqualTo("one of A, B, C, D, E, F, G, H, I, J");
		assertThat(RequestProblems.kind(Eleven.class)).isEqualTo("one of A, B, C, D, E, F, G, H, I, J, ...");
	}

	@Test
	void arraysAndCollections() {
		assertThat(RequestProblems.kind(String[].class)).isEqualTo("a JSON array");
		assertThat(RequestProblems.kind(List.class)).isEqualTo("a JSON array");
		assertThat(RequestProblems.kind(Set.class)).isEqualTo("a JSON array");
	}

	@Test
	void datesTimesAndDurations() {
		assertThat(RequestProblems.kind(Instant.class)).isEqualTo("a date or time in ISO-8601 text");
		assertThat(RequestProblems.kind(LocalDate.class)).isEqualTo("a date or time in ISO-8601 text");
		assertThat(RequestProblems.kind(Duration.class)).isEqualTo("a date or time in ISO-8601 text");
	}

	@Test
	void uuidsAndObjects() {
		assertThat(RequestProblems.kind(UUID.class)).isEqualTo("a UUID");
		assertThat(RequestProblems.kind(Map.class)).isEqualTo("a JSON object");
		assertThat(RequestProblems.kind(Order.class)).isEqualTo("a JSON object");
	}

	enum Side {

		BUY, SELL

	}

	enum Ten {

		A, B, C, D, E, F, G, H, I, J

	}

	enum Eleven {

		A, B, C, D, E, F, G, H, I, J, K

	}

	record Order(String id) {
	}

}
