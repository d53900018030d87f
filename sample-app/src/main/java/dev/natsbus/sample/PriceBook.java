package dev.natsbus.sample;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.natsbus.BusListener;

import org.springframework.stereotype.Component;

/**
 * The prices this instance quotes, kept up to date by a broadcast event: a price change
 * published once reaches the book of every instance, whichever of them later answers a
 * quote. A queue listener here would update one instance only.
 */
@Component
public class PriceBook {

	private final Map<String, BigDecimal> prices = new ConcurrentHashMap<>();

	/** Every instance receives every price change. */
	@BusListener(subject = QuoteSubjects.PRICE_CHANGED, broadcast = true)
	public void priceChanged(PriceChange change) {
		this.prices.put(change.symbol().toUpperCase(Locale.ROOT), change.price());
	}

	/** The latest price this instance heard of, if any. */
	public Optional<BigDecimal> priceOf(String symbol) {
		return Optional.ofNullable(this.prices.get(symbol.toUpperCase(Locale.ROOT)));
	}

}
