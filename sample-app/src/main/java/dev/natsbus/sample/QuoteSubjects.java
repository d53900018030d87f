package dev.natsbus.sample;

/**
 * The NATS subjects of the quotes service, shared by the caller and the handlers so that
 * the two cannot drift apart. They are the service's public contract, like URL paths of
 * an HTTP API.
 */
public final class QuoteSubjects {

	/** Request: a symbol ({@code String}); reply: its {@link Quote}, or error 404. */
	public static final String GET = "quotes.get";

	/** Request: empty; reply: every {@link Quote}. */
	public static final String LIST = "quotes.list";

	/**
	 * Like {@link #GET}, with the reply's {@value #REQUEST_ID} header (which
	 * {@link RequestIdInterceptor} adds to every call) returned to the HTTP caller.
	 */
	public static final String TRACED = "quotes.traced";

	/**
	 * Request: a {@link PriceAlert}; reply: the alert as registered, error 400 when it is
	 * not valid, or 404 for an unknown symbol.
	 */
	public static final String ALERT = "quotes.alert";

	/** Event, no reply: a symbol ({@code String}) whose quote was viewed. */
	public static final String VIEWED = "quotes.viewed";

	/** Request: empty; reply: views per symbol. */
	public static final String VIEWS = "quotes.views";

	/**
	 * Broadcast event, no reply: a {@link PriceChange} that every instance's
	 * {@link PriceBook} takes.
	 */
	public static final String PRICE_CHANGED = "quotes.price-changed";

	/**
	 * Broadcast request, one reply per instance: empty; reply: the views this instance
	 * counted, per symbol.
	 */
	public static final String VIEW_COUNTS = "quotes.view-counts";

	/**
	 * Request with a streamed reply: a {@code HistoryRequest}; replies: one
	 * {@link PricePoint} each, oldest first, then the sentinel (an empty reply).
	 */
	public static final String HISTORY = "quotes.history";

	/** Correlation header, carried over HTTP and NATS alike. */
	public static final String REQUEST_ID = "X-Request-Id";

	private QuoteSubjects() {
	}

}
