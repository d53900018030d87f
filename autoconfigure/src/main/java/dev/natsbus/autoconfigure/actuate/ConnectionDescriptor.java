package dev.natsbus.autoconfigure.actuate;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One pooled connection as the {@code natsbus} endpoint shows it. Server URLs never carry
 * credentials.
 *
 * @param name the connection name the server shows
 * @param status jnats' status ({@code CONNECTED}, {@code RECONNECTING}, ...), or
 * {@code CONNECTING} while a background connect has not succeeded yet and {@code FAILED}
 * when it gave up
 * @param server the server it is (or was last) connected to, absent before the first
 * connect
 * @param servers the servers it may connect to, as configured
 * @param reconnects how often it has reconnected
 * @param rttMillis the round-trip time of a PING to the server, absent when not connected
 */
public record ConnectionDescriptor(String name, String status, @Nullable String server, List<String> servers,
		long reconnects, @Nullable Double rttMillis) {

}
