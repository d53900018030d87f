package dev.natsbus.benchmarks;

import dev.natsbus.benchmarks.Measurement.MismatchException;

/** The small JSON POJO of scenario 2: about 145 bytes of JSON, echoed both ways. */
public record Order(long id, String customer, String sku, int quantity, long priceCents, String currency, String note) {

	static Order of(long id) {
		return new Order(id, "customer-4711", "SKU-000123-XL", 3, 129_900, "EUR", "leave at door");
	}

	static void check(Order reply, long id) throws MismatchException {
		if (reply == null || reply.id() != id || reply.quantity() != 3 || !"SKU-000123-XL".equals(reply.sku())) {
			throw new MismatchException("reply " + reply + " received by request " + id);
		}
	}

}
