package dev.natsbus.observation;

import io.micrometer.observation.Observation;

/**
 * The observation of one listener invocation, from the arrival of the message until the
 * reply was sent. Exactly one of the ending methods is called, once.
 */
public final class BusListenerObservation {

	private final Observation observation;

	private final BusListenerContext context;

	BusListenerObservation(Observation observation, BusListenerContext context) {
		this.observation = observation;
		this.context = context;
	}

	/**
	 * Makes the observation current while the handler runs on this thread, so that
	 * requests the handler makes continue its trace. Close it before the observation
	 * ends.
	 */
	public Observation.Scope openScope() {
		return this.observation.openScope();
	}

	/** The handler returned and its reply (if one was due) was sent. */
	public void succeeded() {
		this.context.setOutcome(BusOutcome.SUCCESS);
		this.observation.stop();
	}

	/**
	 * The handler failed with {@code failure}; the error reply with {@code errorCode} was
	 * sent.
	 */
	public void failed(Throwable failure, int errorCode) {
		Throwable cause = BusOutcome.unwrap(failure);
		this.context.setOutcome(BusOutcome.of(cause));
		this.context.setErrorCode(errorCode);
		this.observation.error(cause);
		this.observation.stop();
	}

	/**
	 * The handler returned, but its reply could not be sent (an error reply went out if
	 * possible).
	 */
	public void replyFailed(int errorCode) {
		this.context.setOutcome(BusOutcome.ERROR);
		this.context.setErrorCode(errorCode);
		this.observation.stop();
	}

	public BusListenerContext getContext() {
		return this.context;
	}

}
