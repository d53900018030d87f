package dev.natsbus.benchmarks;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.natsbus.benchmarks.Measurement.MismatchException;

/**
 * The JSON POJO of the payload-size scenario: an id and a text that makes the JSON about
 * {@code size} bytes long.
 */
public record Blob(long id, String text) {

	private static final Map<Integer, String> texts = new ConcurrentHashMap<>();

	static Blob of(long id, int size) {
		return new Blob(id, text(size));
	}

	/** About {@code size} bytes of JSON in all: {"id":...,"text":"..."} takes 40. */
	static String text(int size) {
		return texts.computeIfAbsent(size, (s) -> "x".repeat(Math.max(1, s - 40)));
	}

	static void check(Blob reply, long id, int size) throws MismatchException {
		if (reply == null || reply.id() != id || reply.text().length() != text(size).length()) {
			throw new MismatchException("reply " + ((reply != null) ? reply.id() : null) + " received by " + id);
		}
	}

}
