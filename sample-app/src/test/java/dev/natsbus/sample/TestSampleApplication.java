package dev.natsbus.sample;

import org.springframework.boot.SpringApplication;

/**
 * Starts the sample for development with a throw-away nats-server:
 * {@code ./mvnw -pl sample-app spring-boot:test-run}. Lives in the test sources so that
 * the test-support dependency never reaches the application itself.
 */
public class TestSampleApplication {

	public static void main(String[] args) {
		SpringApplication.from(SampleApplication::main).with(DevNatsServerConfiguration.class).run(args);
	}

}
