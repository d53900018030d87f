package dev.natsbus.sample;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.natsbus.BusClient;
import dev.natsbus.BusRequest;
import dev.natsbus.BusSend;
import jakarta.validation.Valid;

import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;

/**
 * The quotes service as an interface, declared once for both sides: the controller calls
 * it through a proxy that Spring Boot makes (each method one bus call), and
 * {@link QuoteHandlers} implements it, which makes each method a listener. In a real
 * system it would live in a small jar that the callers and the service share.
 */
@BusClient(timeout = "${sample.quotes.timeout:2s}")
public interface QuoteClient {

	/** The quote of {@code symbol}; a {@code BusRemoteException} 404 if there is none. */
	@BusRequest(QuoteSubjects.GET)
	Quote quote(String symbol);

	/** Every quote: a generic reply, completed asynchronously. */
	@BusRequest(QuoteSubjects.LIST)
	CompletableFuture<List<Quote>> quotes();

	/**
	 * A quote with the headers of its reply; the request id is the caller's, or, when it
	 * is {@code null}, the one {@link RequestIdInterceptor} adds.
	 */
	@BusRequest(QuoteSubjects.TRACED)
	Message<Quote> tracedQuote(String symbol,
			@Header(name = QuoteSubjects.REQUEST_ID, required = false) String requestId);

	/** Registers an alert; the service answers 400 for one that is not valid. */
	@BusRequest(QuoteSubjects.ALERT)
	PriceAlert alert(@Valid PriceAlert alert);

	/** Fire and forget: the quote of {@code symbol} was viewed. */
	@BusSend(QuoteSubjects.VIEWED)
	void viewed(String symbol);

}
