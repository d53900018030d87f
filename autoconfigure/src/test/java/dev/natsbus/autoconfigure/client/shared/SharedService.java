package dev.natsbus.autoconfigure.client.shared;

import java.util.concurrent.atomic.AtomicInteger;

import dev.natsbus.BusService;

/** Serves {@link SharedClient}. */
@BusService("shared")
public class SharedService implements SharedClient {

	public final AtomicInteger calls = new AtomicInteger();

	@Override
	public int count(String kind) {
		this.calls.incrementAndGet();
		return kind.length();
	}

}
