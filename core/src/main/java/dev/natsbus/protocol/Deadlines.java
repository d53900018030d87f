package dev.natsbus.protocol;

import io.nats.client.Message;
import io.nats.client.impl.Headers;

/**
 * The caller's deadline, carried in the request header {@value #HEADER} as epoch
 * milliseconds, so that a listener does not spend capacity on a request whose caller has
 * already given up. It compares wall clocks of two hosts: it assumes clocks synchronised
 * (NTP) to well within the request timeouts in use, and only ever skips a request whose
 * deadline is past by the listener's own clock.
 */
public final class Deadlines {

	public static final String HEADER = "Nats-Bus-Deadline";

	private Deadlines() {
	}

	/**
	 * Whether the message carries a deadline that has passed. Unreadable deadlines never
	 * expire.
	 */
	public static boolean isExpired(Message message) {
		return System.currentTimeMillis() > deadlineMillis(message);
	}

	/**
	 * The deadline the message carries, in epoch milliseconds; {@link Long#MAX_VALUE}
	 * when it carries none or an unreadable one (which never expires).
	 */
	public static long deadlineMillis(Message message) {
		Headers headers = message.getHeaders();
		if (headers == null) {
			return Long.MAX_VALUE;
		}
		String value = headers.getFirst(HEADER);
		if (value == null) {
			return Long.MAX_VALUE;
		}
		try {
			return Long.parseLong(value.trim());
		}
		catch (NumberFormatException ex) {
			return Long.MAX_VALUE;
		}
	}

}
