package dev.natsbus.sample;

import dev.natsbus.BusConnectionException;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusTimeoutException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Translates bus failures into HTTP answers (RFC 9457 problem details) in one place, so
 * that controllers call the bus as if it could not fail. The statuses are those of an
 * HTTP gateway: the service behind the bus is the upstream.
 */
@RestControllerAdvice
public class BusErrorHandler {

	/**
	 * The handler answered with an error: its 4xx codes concern the client, anything else
	 * is a bad upstream.
	 */
	@ExceptionHandler
	ProblemDetail remoteError(BusRemoteException ex) {
		HttpStatus status = HttpStatus.resolve(ex.getErrorCode());
		if (status == null || !status.is4xxClientError()) {
			status = HttpStatus.BAD_GATEWAY;
		}
		return ProblemDetail.forStatusAndDetail(status, ex.getRemoteMessage());
	}

	@ExceptionHandler
	ProblemDetail timeout(BusTimeoutException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.GATEWAY_TIMEOUT, ex.getMessage());
	}

	/**
	 * Nobody listens on the subject, or NATS is unreachable: the service is unavailable
	 * for now.
	 */
	@ExceptionHandler({ BusNoRespondersException.class, BusConnectionException.class })
	ProblemDetail unavailable(RuntimeException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
	}

}
