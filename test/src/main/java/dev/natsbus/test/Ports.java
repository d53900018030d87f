package dev.natsbus.test;

import io.nats.NatsRunnerUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Loopback port helpers. */
final class Ports {

	static final String LOOPBACK = "127.0.0.1";

	private Ports() {
	}

	/**
	 * A port the kernel just handed out, so it is very unlikely to be taken by the time
	 * the server binds it.
	 */
	static int free() {
		try {
			return NatsRunnerUtils.nextPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not find a free port", ex);
		}
	}

	/** Whether something accepts TCP connections on the loopback port. */
	static boolean isListening(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(LOOPBACK, port), 250);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
