package dev.natsbus.sample;

import java.util.Map;

/**
 * The views of every instance, summed: what a scatter-gather answers.
 *
 * @param instances how many instances answered
 * @param views views per symbol, over all of them
 */
public record ViewTotals(int instances, Map<String, Long> views) {
}
