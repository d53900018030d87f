package dev.natsbus.client;

/** A payload of the client tests. */
public record Quote(String symbol, double price) {
}
