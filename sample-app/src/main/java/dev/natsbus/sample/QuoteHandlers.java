package dev.natsbus.sample;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import dev.natsbus.BusListener;
import dev.natsbus.BusService;
import dev.natsbus.BusServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;

/**
 * The service side: answers the {@link QuoteSubjects quote subjects} from an in-memory
 * book, with the prices of the {@link PriceBook}. It implements {@link QuoteClient}, and
 * as a {@link BusService} it serves it: each method of the interface is a listener on the
 * interface's subject. The other methods are {@code @BusListener}s of their own. Each is
 * an ordinary bean method; nats-bus subscribes it (in queue group {@code q}, so several
 * instances share the load, or for broadcast, so that every instance answers) and turns
 * its return value or exception into the reply.
 */
@Component
@BusService("quotes")
public class QuoteHandlers implements QuoteClient {

	private static final Map<String, Quote> QUOTES = List
		.of(new Quote("AAPL", "Apple Inc.", new BigDecimal("227.48"), "USD"),
				new Quote("MSFT", "Microsoft Corp.", new BigDecimal("415.10"), "USD"),
				new Quote("SAP", "SAP SE", new BigDecimal("243.65"), "EUR"))
		.stream()
		.collect(Collectors.toUnmodifiableMap(Quote::symbol, Function.identity()));

	private static final Logger logger = LoggerFactory.getLogger(QuoteHandlers.class);

	private final Map<String, LongAdder> views = new ConcurrentHashMap<>();

	private final List<PriceAlert> alerts = new CopyOnWriteArrayList<>();

	private final PriceBook priceBook;

	public QuoteHandlers(PriceBook priceBook) {
		this.priceBook = priceBook;
	}

	/**
	 * The hot path, so it may run several lookups at once: a {@code @BusListener} without
	 * a subject adds listener settings to a method that serves the interface, and the
	 * placeholder lets operators tune it per deployment. An unknown symbol becomes error
	 * 404 for the caller.
	 */
	@Override
	@BusListener(concurrency = "${sample.quotes.concurrency:4}")
	public Quote quote(String symbol) {
		return find(symbol);
	}

	/** Replies with a generic type, when the future completes. */
	@Override
	public CompletableFuture<List<Quote>> quotes() {
		return CompletableFuture
			.completedFuture(QUOTES.values().stream().sorted(Comparator.comparing(Quote::symbol)).toList());
	}

	/**
	 * Reads a header of the request and returns a {@link Message} so that the reply
	 * carries headers of its own. The request id comes in and goes back without any code
	 * here ({@link RequestIdInterceptor}), and is in the logging context meanwhile.
	 */
	@Override
	public Message<Quote> tracedQuote(String symbol, String requestId) {
		logger.info("Traced quote of {} for request {}", symbol, requestId);
		return MessageBuilder.withPayload(find(symbol)).setHeader("X-Quote-Source", "book").build();
	}

	/**
	 * A payload checked before the method runs ({@code @Valid} on the interface's
	 * parameter): a blank symbol or a price that is not positive is answered with 400 and
	 * the field's message, for callers in any language.
	 */
	@Override
	public PriceAlert alert(PriceAlert alert) {
		Quote quote = find(alert.symbol());
		PriceAlert registered = new PriceAlert(quote.symbol(), alert.below());
		this.alerts.add(registered);
		return registered;
	}

	/** An event: {@code void}, since a fire-and-forget {@code send} expects no reply. */
	@Override
	public void viewed(String symbol) {
		this.views.computeIfAbsent(symbol.toUpperCase(Locale.ROOT), key -> new LongAdder()).increment();
	}

	@BusListener(QuoteSubjects.VIEWS)
	public Map<String, Long> views() {
		Map<String, Long> counts = new TreeMap<>();
		this.views.forEach((symbol, count) -> counts.put(symbol, count.sum()));
		return counts;
	}

	/**
	 * Broadcast: every instance answers with its own counts, so that a
	 * {@code requestMany} gathers all of them.
	 */
	@BusListener(subject = QuoteSubjects.VIEW_COUNTS, broadcast = true)
	public Map<String, Long> viewCounts() {
		return views();
	}

	/**
	 * A streamed reply: one {@link PricePoint} per reply as the stream yields it, then
	 * the sentinel; nothing is gathered in memory first.
	 */
	@BusListener(QuoteSubjects.HISTORY)
	public Stream<PricePoint> history(HistoryRequest request) {
		if (request.points() < 1 || request.points() > 1000) {
			throw new BusServiceException(400, "points must be between 1 and 1000, not " + request.points());
		}
		Quote quote = find(request.symbol());
		return IntStream.range(0, request.points())
			.mapToObj((i) -> new PricePoint(quote.symbol(), i,
					quote.price().subtract(BigDecimal.valueOf(request.points() - 1 - i))));
	}

	/**
	 * What {@link #history} is asked for.
	 *
	 * @param symbol ticker symbol
	 * @param points how many points, 1 to 1000
	 */
	public record HistoryRequest(String symbol, int points) {
	}

	private Quote find(String symbol) {
		Quote quote = QUOTES.get(symbol.toUpperCase(Locale.ROOT));
		if (quote == null) {
			throw new BusServiceException(404, "No quote for symbol '" + symbol + "'");
		}
		return this.priceBook.priceOf(symbol)
			.map((price) -> new Quote(quote.symbol(), quote.name(), price, quote.currency()))
			.orElse(quote);
	}

}
