package dev.natsbus.autoconfigure.actuate;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.natsbus.BusListener;
import dev.natsbus.BusServiceException;

/**
 * The listeners the endpoint tests look at: one that echoes, one that waits at a gate the
 * test opens, and one with its own queue group and concurrency that fails on request.
 */
class EndpointTestListeners {

	static final String ECHO = "actuator.echo";

	static final String GATED = "actuator.gated";

	static final String QUOTES = "actuator.quotes";

	private volatile CountDownLatch gate = new CountDownLatch(0);

	@BusListener(id = "echo", subject = ECHO)
	String echo(String text) {
		return text;
	}

	@BusListener(id = "gated", subject = GATED)
	String gated(String text) throws InterruptedException {
		if (!this.gate.await(30, TimeUnit.SECONDS)) {
			throw new IllegalStateException("the test never opened the gate");
		}
		return text;
	}

	@BusListener(id = "quotes", subject = QUOTES, queue = "pricing", concurrency = "2")
	String quote(String symbol) {
		if (symbol.equals("NOPE")) {
			throw new BusServiceException(404, "no quote for NOPE");
		}
		return symbol.toUpperCase(Locale.ROOT);
	}

	/** Makes the gated listener wait until {@link #openGate()}. */
	void closeGate() {
		this.gate = new CountDownLatch(1);
	}

	void openGate() {
		this.gate.countDown();
	}

}
