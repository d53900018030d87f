package dev.natsbus;

/** The message (headers plus body) is larger than the server's {@code max_payload}. */
public class BusPayloadTooLargeException extends BusException {

	private final long size;

	private final long maxPayload;

	public BusPayloadTooLargeException(String subject, long size, long maxPayload) {
		super("Message to '" + subject + "' is " + size + " bytes, over the server's max_payload of " + maxPayload
				+ " bytes");
		this.size = size;
		this.maxPayload = maxPayload;
	}

	public long getSize() {
		return this.size;
	}

	public long getMaxPayload() {
		return this.maxPayload;
	}

}
