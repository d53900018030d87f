package dev.natsbus.test;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Bounded polling for conditions owned by external processes (ports, routes), where there
 * is no event to wait on. Kept internal so that the main code does not depend on
 * Awaitility.
 */
final class Poll {

	private static final long INTERVAL_MILLIS = 25;

	private Poll() {
	}

	/**
	 * Returns {@code true} as soon as the condition holds, {@code false} once the timeout
	 * is spent.
	 */
	static boolean until(Duration timeout, BooleanSupplier condition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			if (condition.getAsBoolean()) {
				return true;
			}
			if (System.nanoTime() - deadline >= 0) {
				return false;
			}
			try {
				Thread.sleep(INTERVAL_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return condition.getAsBoolean();
			}
		}
	}

}
