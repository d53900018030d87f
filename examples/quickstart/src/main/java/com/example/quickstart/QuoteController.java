package com.example.quickstart;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.natsbus.template.BusTemplate;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Knows only the bus: the service behind it may run in this process or in any other. */
@RestController
class QuoteController {

	private final BusTemplate bus;

	QuoteController(BusTemplate bus) {
		this.bus = bus;
	}

	@GetMapping("/quotes/{symbol}")
	Quote quote(@PathVariable String symbol) {
		return this.bus.request("quotes.get", symbol, Quote.class);
	}

	@GetMapping("/quotes")
	CompletableFuture<List<Quote>> all() {
		return this.bus.requestAsync("quotes.all", null, new ParameterizedTypeReference<List<Quote>>() {
		});
	}

	@PutMapping("/quotes/{symbol}")
	Quote update(@PathVariable String symbol, @RequestBody BigDecimal price) {
		return this.bus.request("quotes.update", new Quote(symbol, price), Quote.class);
	}

}
