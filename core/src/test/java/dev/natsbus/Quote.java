package dev.natsbus;

record Quote(String symbol, double price) {
}
