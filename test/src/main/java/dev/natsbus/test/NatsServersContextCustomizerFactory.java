package dev.natsbus.test;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;

import java.util.List;

/**
 * Points Spring test contexts of {@link NatsServerTest} classes at their servers.
 * Registered in {@code META-INF/spring.factories}, so it is only loaded when spring-test
 * is present.
 *
 * <p>
 * Spring may ask for the customizer before the JUnit extension's beforeAll (annotation
 * order decides), so the servers are started here if needed; the extension stops them
 * after the class.
 */
public class NatsServersContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return NatsServerSpec.owner(testClass)
			.map(owner -> NatsTestServers.acquire(owner,
					NatsServerSpec.declaredOn(owner).orElse(NatsServerSpec.DEFAULT)))
			.map(nats -> new NatsServersContextCustomizer(nats.property(), nats.url()))
			.orElse(null);
	}

}
