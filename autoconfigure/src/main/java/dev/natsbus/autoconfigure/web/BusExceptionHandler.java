package dev.natsbus.autoconfigure.web;

import dev.natsbus.BusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * Answers a {@link BusException} that escapes a controller with an RFC 9457 problem
 * detail ({@link BusProblemDetails}) instead of a bare 500, in Spring MVC and WebFlux
 * alike. Lowest precedence, so that the application's own {@code @ExceptionHandler}
 * methods and {@code @ControllerAdvice} beans win. Server-side failures (5xx) are logged
 * at WARN with the exception's message, which the client does not see.
 */
@ControllerAdvice
public class BusExceptionHandler implements Ordered {

	private static final Logger logger = LoggerFactory.getLogger(BusExceptionHandler.class);

	@ExceptionHandler
	ResponseEntity<ProblemDetail> handleBusException(BusException ex) {
		ProblemDetail problem = BusProblemDetails.of(ex);
		if (problem.getStatus() >= 500) {
			logger.warn("Answering {} to a bus failure: {}", problem.getStatus(), ex.toString());
		}
		else {
			logger.debug("Answering {} to a bus failure: {}", problem.getStatus(), ex.toString());
		}
		return ResponseEntity.status(problem.getStatus()).body(problem);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
