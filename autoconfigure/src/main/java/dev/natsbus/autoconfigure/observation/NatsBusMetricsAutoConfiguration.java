package dev.natsbus.autoconfigure.observation;

import dev.natsbus.template.BusTemplate;
import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.listener.BusListenerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Gauges and counters of the bus ({@link NatsBusMeterBinder}) when Micrometer and a
 * {@link MeterRegistry} bean are present; Spring Boot's metrics auto-configuration
 * ({@code spring-boot-micrometer-metrics}) binds them. The timers of sends, requests and
 * listeners come from the observations ({@link NatsBusObservationAutoConfiguration}).
 */
@AutoConfiguration(after = NatsBusAutoConfiguration.class, afterName = {
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass({ BusTemplate.class, MeterRegistry.class, MeterBinder.class })
@ConditionalOnBean({ MeterRegistry.class, NatsConnectionPool.class })
public final class NatsBusMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	NatsBusMeterBinder natsBusMeterBinder(NatsConnectionPool pool, ObjectProvider<BusTemplate> template,
			ObjectProvider<BusListenerRegistry> listenerRegistry) {
		return new NatsBusMeterBinder(pool, template.getIfUnique(), listenerRegistry.getIfUnique());
	}

}
