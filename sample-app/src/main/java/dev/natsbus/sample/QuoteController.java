package dev.natsbus.sample;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.natsbus.BusOperations;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.ResponseEntity;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP front of the quotes service. It knows nothing of the handlers, only the bus:
 * each endpoint shows one way of calling it. It depends on {@link BusOperations}, the
 * interface of {@code BusTemplate}, so that it can be tested with a stand-in. Bus
 * failures become HTTP statuses and problem details without code here: the starter
 * answers them (a 404 from a handler stays 404, a timeout is 504, no responder 503).
 */
@RestController
@RequestMapping("/quotes")
public class QuoteController {

	private static final ParameterizedTypeReference<List<Quote>> QUOTE_LIST = new ParameterizedTypeReference<>() {
	};

	private static final ParameterizedTypeReference<Map<String, Long>> VIEW_COUNTS = new ParameterizedTypeReference<>() {
	};

	private final BusOperations bus;

	public QuoteController(BusOperations bus) {
		this.bus = bus;
	}

	/**
	 * Synchronous request: the simplest call, blocking this request thread until the
	 * reply.
	 */
	@GetMapping("/{symbol}")
	public Quote quote(@PathVariable String symbol) {
		return this.bus.request(QuoteSubjects.GET, symbol, Quote.class);
	}

	/**
	 * Asynchronous request: Spring MVC completes the response when the future does,
	 * freeing the thread.
	 */
	@GetMapping
	public CompletableFuture<List<Quote>> quotes() {
		return this.bus.requestAsync(QuoteSubjects.LIST, null, QUOTE_LIST);
	}

	/**
	 * Request and reply with headers: {@link RequestIdInterceptor} sends the caller's
	 * {@value QuoteSubjects#REQUEST_ID} (or a new one) to the handler, and the one in the
	 * reply is returned, so logs on both sides correlate.
	 */
	@GetMapping("/{symbol}/traced")
	public ResponseEntity<Quote> tracedQuote(@PathVariable String symbol) {
		Message<String> request = MessageBuilder.withPayload(symbol).build();
		Message<Quote> reply = this.bus.requestMessage(QuoteSubjects.TRACED, request, Quote.class);
		return ResponseEntity.ok()
			.header(QuoteSubjects.REQUEST_ID, reply.getHeaders().get(QuoteSubjects.REQUEST_ID, String.class))
			.body(reply.getPayload());
	}

	/**
	 * A payload the listener validates: an alert it cannot accept comes back as 400 with
	 * the field's message ({@link BusErrorHandler} keeps 4xx codes).
	 */
	@PostMapping("/alerts")
	public PriceAlert alert(@RequestBody PriceAlert alert) {
		return this.bus.request(QuoteSubjects.ALERT, alert, PriceAlert.class);
	}

	/** Fire and forget: publishes an event and answers 202 without waiting for anyone. */
	@PostMapping("/{symbol}/views")
	public ResponseEntity<Void> viewed(@PathVariable String symbol) {
		this.bus.send(QuoteSubjects.VIEWED, symbol);
		return ResponseEntity.accepted().build();
	}

	/** The views counted so far by the event handler. */
	@GetMapping("/views")
	public Map<String, Long> views() {
		return this.bus.request(QuoteSubjects.VIEWS, null, VIEW_COUNTS);
	}

}
