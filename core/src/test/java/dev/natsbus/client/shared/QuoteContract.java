package dev.natsbus.client.shared;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.natsbus.BusClient;
import dev.natsbus.BusReplies;
import dev.natsbus.BusRequest;
import dev.natsbus.BusRequestMany;
import dev.natsbus.BusSend;
import dev.natsbus.client.Quote;

import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.DestinationVariable;
import org.springframework.messaging.handler.annotation.Header;

/**
 * The contract that {@code ServedContractTests} serves with an implementing bean and
 * calls with a proxy, as if from a jar that both applications share.
 */
@BusClient(timeout = "2s")
public interface QuoteContract {

	@BusRequest("svc.quotes.get")
	Quote get(String symbol);

	@BusRequest("svc.quotes.{region}.list")
	List<Quote> list(@DestinationVariable String region);

	@BusRequest("svc.quotes.{region}.page.{page}")
	CompletableFuture<List<Quote>> page(@DestinationVariable String region, @DestinationVariable int page);

	@BusRequest("svc.quotes.reprice")
	Message<Quote> reprice(Quote quote, @Header("X-Request-Id") String requestId);

	@BusRequest("svc.quotes.budget")
	long timeLeft(Duration timeout);

	@BusRequest("svc.quotes.reset")
	void reset();

	@BusSend(value = "svc.quotes.viewed", broadcast = true)
	void viewed(String symbol);

	@BusRequest("svc.quotes.views")
	Map<String, Long> views();

	@BusRequestMany(value = "svc.quotes.instances", broadcast = true, maxReplies = "2")
	BusReplies<String> instances();

	@BusRequestMany(value = "svc.quotes.history", sentinel = true)
	BusReplies<Quote> history(String symbol);

	@BusRequest("svc.quotes.missing")
	Quote missing(String symbol);

	default Quote getOrDefault(String symbol) {
		try {
			return get(symbol);
		}
		catch (RuntimeException ex) {
			return new Quote(symbol, 0);
		}
	}

}
