package dev.natsbus.sample;

import java.math.BigDecimal;

/**
 * A price quote. Travels over NATS as JSON, so callers in any language can read it.
 *
 * @param symbol ticker symbol, upper case
 * @param name company name
 * @param price last price
 * @param currency ISO currency code of the price
 */
public record Quote(String symbol, String name, BigDecimal price, String currency) {
}
