package dev.natsbus.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.natsbus.BusOperations;
import dev.natsbus.BusReplies;
import dev.natsbus.RequestMany;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The other two ways NATS talks, next to the request/reply of {@link QuoteController}: a
 * broadcast event every instance takes, a scatter-gather that asks every instance, and a
 * streamed reply read to its end.
 */
@RestController
@RequestMapping("/quotes")
public class PatternsController {

	private static final ParameterizedTypeReference<Map<String, Long>> VIEW_COUNTS = new ParameterizedTypeReference<>() {
	};

	/** How long a scatter-gather waits for instances to answer. */
	private static final Duration GATHER = Duration.ofMillis(300);

	private final BusOperations bus;

	public PatternsController(BusOperations bus) {
		this.bus = bus;
	}

	/** Broadcast: every instance's {@link PriceBook} takes the new price. */
	@PutMapping("/{symbol}/price")
	public ResponseEntity<Void> changePrice(@PathVariable String symbol, @RequestBody PriceChange change) {
		this.bus.send(QuoteSubjects.PRICE_CHANGED, new PriceChange(symbol, change.price()));
		return ResponseEntity.accepted().build();
	}

	/**
	 * Scatter-gather: every instance counts the views it handled (the view events are
	 * shared out over the queue group), so the total takes asking all of them.
	 */
	@GetMapping("/views/total")
	public ViewTotals totalViews() {
		BusReplies<Map<String, Long>> counts = this.bus.requestMany(QuoteSubjects.VIEW_COUNTS, null, VIEW_COUNTS,
				RequestMany.maxWait(GATHER));
		Map<String, Long> total = new TreeMap<>();
		counts.values().forEach((views) -> views.forEach((symbol, count) -> total.merge(symbol, count, Long::sum)));
		return new ViewTotals(counts.values().size(), total);
	}

	/** Streamed reply: one reply per point, read until the sentinel. */
	@GetMapping("/{symbol}/history")
	public List<PricePoint> history(@PathVariable String symbol, @RequestParam(defaultValue = "10") int points) {
		BusReplies<PricePoint> history = this.bus.requestMany(QuoteSubjects.HISTORY,
				new QuoteHandlers.HistoryRequest(symbol, points), PricePoint.class,
				RequestMany.sentinel().withMaxWait(Duration.ofSeconds(2)));
		if (!history.errors().isEmpty()) {
			throw history.errors().get(0);
		}
		return history.values();
	}

}
