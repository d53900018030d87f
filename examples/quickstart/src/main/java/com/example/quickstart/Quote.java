package com.example.quickstart;

import java.math.BigDecimal;

/** Travels over NATS as JSON. */
public record Quote(String symbol, BigDecimal price) {
}
