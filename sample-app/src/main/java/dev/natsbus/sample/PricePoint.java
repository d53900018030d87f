package dev.natsbus.sample;

import java.math.BigDecimal;

/**
 * One point of a price history, one reply of a streamed reply.
 *
 * @param symbol ticker symbol
 * @param index position in the history, oldest first
 * @param price the price at that point
 */
public record PricePoint(String symbol, int index, BigDecimal price) {
}
