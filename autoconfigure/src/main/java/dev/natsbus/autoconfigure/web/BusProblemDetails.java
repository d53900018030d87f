package dev.natsbus.autoconfigure.web;

import dev.natsbus.BusConnectionException;
import dev.natsbus.BusConversionException;
import dev.natsbus.BusException;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusTimeoutException;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.util.StringUtils;

/**
 * The HTTP answer to a bus failure, as an HTTP gateway would give it: the service behind
 * the bus is the upstream. A remote 4xx is the caller's problem and keeps its code; a
 * remote 5xx is a bad gateway (502); no reply in time is a gateway timeout (504); nobody
 * to answer, or no connection, is service unavailable (503); a message that cannot be
 * converted is a bad gateway (502); anything else is this service's own failure (500).
 * <p>
 * The detail carries the remote text only where the service chose it: the message of a
 * {@code BusServiceException}, which arrives with any code but 500. Otherwise it is a
 * fixed sentence, so that no internal detail (exception messages, subjects) reaches HTTP
 * clients.
 */
public final class BusProblemDetails {

	private BusProblemDetails() {
	}

	/** The problem detail for a bus failure. */
	public static ProblemDetail of(BusException ex) {
		if (ex instanceof BusRemoteException remote) {
			return remote(remote);
		}
		if (ex instanceof BusTimeoutException) {
			return problem(HttpStatus.GATEWAY_TIMEOUT, "The service behind this request did not answer in time.");
		}
		if (ex instanceof BusNoRespondersException) {
			return problem(HttpStatus.SERVICE_UNAVAILABLE, "No service is available to answer this request.");
		}
		if (ex instanceof BusConnectionException) {
			return problem(HttpStatus.SERVICE_UNAVAILABLE, "The message bus is not available.");
		}
		if (ex instanceof BusConversionException) {
			return problem(HttpStatus.BAD_GATEWAY,
					"A message to or from the service behind this request could not be converted.");
		}
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "The request could not be sent to the service behind it.");
	}

	private static ProblemDetail remote(BusRemoteException remote) {
		int code = remote.getErrorCode();
		HttpStatusCode status = (code >= 400 && code < 500) ? HttpStatusCode.valueOf(code) : HttpStatus.BAD_GATEWAY;
		ProblemDetail problem = ProblemDetail.forStatus(status);
		if (code != 500 && StringUtils.hasText(remote.getRemoteMessage())) {
			problem.setDetail(remote.getRemoteMessage());
		}
		else if (!status.is4xxClientError()) {
			problem.setDetail("The service behind this request failed.");
		}
		return problem;
	}

	private static ProblemDetail problem(HttpStatus status, String detail) {
		return ProblemDetail.forStatusAndDetail(status, detail);
	}

}
