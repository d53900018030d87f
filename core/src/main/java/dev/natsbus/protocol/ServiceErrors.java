package dev.natsbus.protocol;

import org.jspecify.annotations.Nullable;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.service.ServiceMessage;

/**
 * The error convention of the NATS micro service protocol: an error reply carries the
 * text in {@code Nats-Service-Error} and the numeric code in
 * {@code Nats-Service-Error-Code}, so that clients of every language recognise it.
 */
public final class ServiceErrors {

	/** The header with the error text, as jnats' service support names it. */
	public static final String ERROR_HEADER = ServiceMessage.NATS_SERVICE_ERROR;

	/** The header with the numeric error code, as jnats' service support names it. */
	public static final String ERROR_CODE_HEADER = ServiceMessage.NATS_SERVICE_ERROR_CODE;

	/** The request could not be read (payload conversion failed). */
	public static final int BAD_REQUEST = 400;

	/** The handler failed unexpectedly. */
	public static final int INTERNAL_ERROR = 500;

	private static final int MAX_TEXT_LENGTH = 1024;

	private ServiceErrors() {
	}

	/**
	 * Headers for an error reply; the text is reduced to what a header value can carry.
	 */
	public static Headers errorHeaders(int code, @Nullable String text) {
		Headers headers = new Headers();
		headers.put(ERROR_HEADER, headerSafe(text));
		headers.put(ERROR_CODE_HEADER, Integer.toString(code));
		return headers;
	}

	/** Whether a reply is an error reply. */
	public static boolean isError(Message reply) {
		Headers headers = reply.getHeaders();
		return headers != null && headers.containsKey(ERROR_CODE_HEADER);
	}

	/**
	 * The code of an error reply; {@value #INTERNAL_ERROR} when the header is not a
	 * number.
	 */
	public static int code(Message reply) {
		String value = reply.getHeaders().getFirst(ERROR_CODE_HEADER);
		try {
			return Integer.parseInt(value.trim());
		}
		catch (NumberFormatException ex) {
			return INTERNAL_ERROR;
		}
	}

	/** The text of an error reply, never null. */
	public static String text(Message reply) {
		String text = reply.getHeaders().getFirst(ERROR_HEADER);
		return (text != null) ? text : "";
	}

	/**
	 * NATS header values are printable ASCII on one line: anything else (line breaks,
	 * accents) would make jnats refuse the whole reply and leave the caller waiting.
	 */
	static String headerSafe(@Nullable String text) {
		if (text == null || text.isEmpty()) {
			return "error";
		}
		int length = Math.min(text.length(), MAX_TEXT_LENGTH);
		StringBuilder safe = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			safe.append((c >= 0x20 && c < 0x7f) ? c : (c == '\n' || c == '\r' || c == '\t') ? ' ' : '?');
		}
		return safe.toString().trim().isEmpty() ? "error" : safe.toString();
	}

}
