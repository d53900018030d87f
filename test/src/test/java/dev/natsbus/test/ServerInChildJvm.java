package dev.natsbus.test;

import java.io.IOException;

/**
 * The main class of a child JVM that starts a server the way an application in
 * development does, prints {@code PID <pid> PORT <port>}, and runs until its standard
 * input closes (so it ends with the test JVM, whatever happens to that).
 */
public final class ServerInChildJvm {

	private ServerInChildJvm() {
	}

	public static void main(String[] args) throws IOException {
		NatsServer server = NatsServer.builder().start();
		System.out.println("PID " + server.pid() + " PORT " + server.port());
		System.out.flush();
		while (System.in.read() >= 0) {
			// Wait for the parent to go away.
		}
		server.close();
	}

}
