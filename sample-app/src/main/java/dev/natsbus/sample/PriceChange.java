package dev.natsbus.sample;

import java.math.BigDecimal;

/**
 * An event: the price of a symbol changed. Broadcast, so that every instance's
 * {@link PriceBook} takes it.
 *
 * @param symbol ticker symbol
 * @param price the new price
 */
public record PriceChange(String symbol, BigDecimal price) {
}
