package dev.natsbus.client.shared;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import dev.natsbus.BusListener;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusReplies;
import dev.natsbus.BusService;
import dev.natsbus.BusServiceException;
import dev.natsbus.client.Quote;

import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;

/** Serves {@link QuoteContract}: each of its methods is a listener. */
@Component
@BusService("quotes")
public class QuoteService implements QuoteContract {

	public final String instance = UUID.randomUUID().toString();

	public final Map<String, LongAdder> views = new ConcurrentHashMap<>();

	public volatile int resets;

	@Override
	@BusListener(concurrency = "3")
	public Quote get(String symbol) {
		return new Quote(symbol, 42.5);
	}

	@Override
	public List<Quote> list(String region) {
		return List.of(new Quote(region + "-1", 1), new Quote(region + "-2", 2));
	}

	@Override
	public CompletableFuture<List<Quote>> page(String region, int page) {
		return CompletableFuture.completedFuture(List.of(new Quote(region + "#" + (page + 1), page)));
	}

	@Override
	public Message<Quote> reprice(Quote quote, String requestId) {
		return MessageBuilder.withPayload(new Quote(quote.symbol(), quote.price() * 2))
			.setHeader("X-Request-Id", requestId)
			.build();
	}

	/** What is left of the caller's timeout, or -1 without one. */
	@Override
	public long timeLeft(Duration timeout) {
		return (timeout != null) ? timeout.toMillis() : -1;
	}

	@Override
	public void reset() {
		this.resets++;
	}

	@Override
	public void viewed(String symbol) {
		this.views.computeIfAbsent(symbol, (key) -> new LongAdder()).increment();
	}

	@Override
	public Map<String, Long> views() {
		Map<String, Long> counts = new TreeMap<>();
		this.views.forEach((symbol, count) -> counts.put(symbol, count.sum()));
		return counts;
	}

	@Override
	public BusReplies<String> instances() {
		return BusReplies.of(List.of(this.instance));
	}

	@Override
	public BusReplies<Quote> history(String symbol) {
		if (symbol.equals("BROKEN")) {
			return new BusReplies<>(List.of(new Quote(symbol, 1)),
					List.of(new BusRemoteException("upstream", 503, "history unavailable")),
					BusReplies.EndedBy.SENTINEL, Duration.ZERO);
		}
		return BusReplies.of(List.of(new Quote(symbol, 1), new Quote(symbol, 2), new Quote(symbol, 3)));
	}

	@Override
	public Quote missing(String symbol) {
		throw new BusServiceException(404, "no quote for " + symbol);
	}

}
