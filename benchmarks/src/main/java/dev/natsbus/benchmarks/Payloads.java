package dev.natsbus.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import dev.natsbus.benchmarks.Measurement.MismatchException;

/**
 * 128-byte request bodies that carry their request id twice (first and last 8 bytes, the
 * second inverted), so that an echo is checked to be the answer to exactly this request.
 */
final class Payloads {

	static final int SIZE = 128;

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

	private Payloads() {
	}

	static byte[] request(long id) {
		byte[] body = new byte[SIZE];
		LONGS.set(body, 0, id);
		for (int i = 8; i < SIZE - 8; i++) {
			body[i] = (byte) ('a' + (i % 26));
		}
		LONGS.set(body, SIZE - 8, ~id);
		return body;
	}

	/** A body of {@code size} bytes (at least 16) that carries {@code id} as above. */
	static byte[] request(long id, int size) {
		byte[] body = new byte[size];
		LONGS.set(body, 0, id);
		LONGS.set(body, size - 8, ~id);
		return body;
	}

	static void check(byte[] reply, long id, int size) throws MismatchException {
		if (reply == null || reply.length != size) {
			throw new MismatchException(
					"reply of " + ((reply != null) ? reply.length : -1) + " bytes, expected " + size);
		}
		if ((long) LONGS.get(reply, 0) != id || (long) LONGS.get(reply, size - 8) != ~id) {
			throw new MismatchException("reply for request " + (long) LONGS.get(reply, 0) + " received by " + id);
		}
	}

	static void check(byte[] reply, long id) throws MismatchException {
		if (reply == null || reply.length != SIZE) {
			throw new MismatchException(
					"reply of " + ((reply != null) ? reply.length : -1) + " bytes, expected " + SIZE);
		}
		long first = (long) LONGS.get(reply, 0);
		long last = (long) LONGS.get(reply, SIZE - 8);
		if (first != id || last != ~id) {
			throw new MismatchException("reply for request " + first + " received by request " + id);
		}
	}

	/** A fire-and-forget body: sequence number and send time. */
	static byte[] event(long sequence, long sentNanos) {
		byte[] body = new byte[SIZE];
		LONGS.set(body, 0, sequence);
		LONGS.set(body, 8, sentNanos);
		LONGS.set(body, SIZE - 8, ~sequence);
		return body;
	}

	static long sequence(byte[] body) {
		return (long) LONGS.get(body, 0);
	}

	static long sentNanos(byte[] body) {
		return (long) LONGS.get(body, 8);
	}

	static boolean intact(byte[] body) {
		return body != null && body.length == SIZE && (long) LONGS.get(body, SIZE - 8) == ~(long) LONGS.get(body, 0);
	}

}
