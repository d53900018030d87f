package dev.natsbus.sample;

import java.math.BigDecimal;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/**
 * Asks to be told when a quote falls below a price. Its constraints are checked by the
 * listener that receives it ({@code @Valid}), so that every caller, in any language, gets
 * the same 400 for a bad alert.
 *
 * @param symbol ticker symbol of a known quote
 * @param below the price to watch for, in the quote's currency
 */
public record PriceAlert(@NotBlank String symbol, @NotNull @Positive BigDecimal below) {
}
