package com.example.quickstart;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import dev.natsbus.BusListener;
import dev.natsbus.BusServiceException;

import org.springframework.stereotype.Component;

/** Answers requests on three subjects; run several instances and they share the work. */
@Component
class QuoteService {

	private final Map<String, Quote> quotes = new ConcurrentSkipListMap<>();

	QuoteService() {
		this.quotes.put("ACME", new Quote("ACME", new BigDecimal("12.50")));
		this.quotes.put("INIT", new Quote("INIT", new BigDecimal("3.10")));
	}

	@BusListener("quotes.get")
	Quote quote(String symbol) {
		Quote quote = this.quotes.get(symbol);
		if (quote == null) {
			// The caller gets a BusRemoteException with code 404; over HTTP, a 404.
			throw new BusServiceException(404, "No quote for " + symbol);
		}
		return quote;
	}

	@BusListener("quotes.all")
	List<Quote> all() {
		return List.copyOf(this.quotes.values());
	}

	@BusListener(subject = "quotes.update", concurrency = "4")
	Quote update(Quote quote) {
		this.quotes.put(quote.symbol(), quote);
		return quote;
	}

}
