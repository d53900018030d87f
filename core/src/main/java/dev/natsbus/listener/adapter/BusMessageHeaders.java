package dev.natsbus.listener.adapter;

import java.util.Map;

import org.springframework.messaging.MessageHeaders;

/**
 * Headers of an incoming message without the random id and timestamp that
 * {@link MessageHeaders} generates by default: nothing reads them here, and generating
 * them for every message costs throughput.
 */
final class BusMessageHeaders extends MessageHeaders {

	BusMessageHeaders(Map<String, Object> headers) {
		super(headers, ID_VALUE_NONE, -1L);
	}

}
