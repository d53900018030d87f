package dev.natsbus.sample;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.natsbus.BusOperations;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.ResponseEntity;
import org.springframework.messaging.Message;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP front of the quotes service. It knows nothing of the handlers, only the bus:
 * each endpoint shows one way of calling it. Most go through {@link QuoteClient}, whose
 * methods are bus calls (the proxy is the bean of that type even though
 * {@link QuoteHandlers} implements it in this application, so the calls go over NATS as
 * they would to another one); {@link #views()} shows the same with {@link BusOperations},
 * the interface of {@code BusTemplate}. Both can be replaced by a stand-in in tests. Bus
 * failures become HTTP statuses and problem details without code here: the starter
 * answers them (a 404 from a handler stays 404, a timeout is 504, no responder 503).
 */
@RestController
@RequestMapping("/quotes")
public class QuoteController {

	private static final ParameterizedTypeReference<Map<String, Long>> VIEW_COUNTS = new ParameterizedTypeReference<>() {
	};

	private final QuoteClient quotes;

	private final BusOperations bus;

	public QuoteController(QuoteClient quotes, BusOperations bus) {
		this.quotes = quotes;
		this.bus = bus;
	}

	/**
	 * Synchronous request: the simplest call, blocking this request thread until the
	 * reply.
	 */
	@GetMapping("/{symbol}")
	public Quote quote(@PathVariable String symbol) {
		return this.quotes.quote(symbol);
	}

	/**
	 * Asynchronous request: Spring MVC completes the response when the future does,
	 * freeing the thread.
	 */
	@GetMapping
	public CompletableFuture<List<Quote>> quotes() {
		return this.quotes.quotes();
	}

	/**
	 * Request and reply with headers: the caller's {@value QuoteSubjects#REQUEST_ID} goes
	 * to the handler (without one, {@link RequestIdInterceptor} adds a new one), and the
	 * one in the reply is returned, so logs on both sides correlate.
	 */
	@GetMapping("/{symbol}/traced")
	public ResponseEntity<Quote> tracedQuote(@PathVariable String symbol,
			@RequestHeader(name = QuoteSubjects.REQUEST_ID, required = false) String requestId) {
		Message<Quote> reply = this.quotes.tracedQuote(symbol, requestId);
		return ResponseEntity.ok()
			.header(QuoteSubjects.REQUEST_ID, reply.getHeaders().get(QuoteSubjects.REQUEST_ID, String.class))
			.body(reply.getPayload());
	}

	/**
	 * A payload the listener validates: an alert it cannot accept comes back as 400 with
	 * the field's message (the starter's problem details keep 4xx codes).
	 */
	@PostMapping("/alerts")
	public PriceAlert alert(@RequestBody PriceAlert alert) {
		return this.quotes.alert(alert);
	}

	/** Fire and forget: publishes an event and answers 202 without waiting for anyone. */
	@PostMapping("/{symbol}/views")
	public ResponseEntity<Void> viewed(@PathVariable String symbol) {
		this.quotes.viewed(symbol);
		return ResponseEntity.accepted().build();
	}

	/**
	 * The views counted so far by the event handler, asked with the template rather than
	 * a client.
	 */
	@GetMapping("/views")
	public Map<String, Long> views() {
		return this.bus.request(QuoteSubjects.VIEWS, null, VIEW_COUNTS);
	}

}
