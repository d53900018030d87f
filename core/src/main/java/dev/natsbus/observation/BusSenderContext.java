package dev.natsbus.observation;

import org.jspecify.annotations.Nullable;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import io.nats.client.impl.Headers;

/**
 * What the observation of an outgoing message knows: the subject, and once it has ended,
 * the outcome and error code. The carrier is the set of NATS headers that the propagation
 * handlers write the trace context into; they travel with the message.
 */
public abstract class BusSenderContext extends SenderContext<Headers> {

	private final String subject;

	private @Nullable BusOutcome outcome;

	private @Nullable Integer errorCode;

	protected BusSenderContext(String subject, Kind kind, Headers carrier) {
		super(NatsHeadersPropagation.SETTER, kind);
		this.subject = subject;
		setCarrier(carrier);
		setRemoteServiceName("nats");
	}

	/** The subject the message is published to. */
	public String getSubject() {
		return this.subject;
	}

	/** How the operation ended; {@code null} while it runs. */
	public @Nullable BusOutcome getOutcome() {
		return this.outcome;
	}

	public void setOutcome(@Nullable BusOutcome outcome) {
		this.outcome = outcome;
	}

	/** The service error code of a remote error; {@code null} when there was none. */
	public @Nullable Integer getErrorCode() {
		return this.errorCode;
	}

	public void setErrorCode(@Nullable Integer errorCode) {
		this.errorCode = errorCode;
	}

}
