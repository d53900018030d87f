package dev.natsbus.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small quotes service that shows nats-bus end to end: an HTTP front
 * ({@link QuoteController}) that talks only to the bus, and the bus handlers
 * ({@link QuoteHandlers}) that answer it. In a real system the two halves would usually
 * be separate services; here they share one process so the sample runs with a single
 * command.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
