package dev.natsbus.autoconfigure.client.app;

import dev.natsbus.BusListener;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The application: its package is an auto-configuration package, as that of a
 * {@code @SpringBootApplication} is, and it answers the greetings.
 */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
@Import(AppConfiguration.Greeter.class)
public class AppConfiguration {

	static class Greeter {

		@BusListener("greet.hello")
		String hello(String name) {
			return "hello " + name;
		}

		@BusListener("greet.custom")
		String custom(String name) {
			return "custom " + name;
		}

	}

}
