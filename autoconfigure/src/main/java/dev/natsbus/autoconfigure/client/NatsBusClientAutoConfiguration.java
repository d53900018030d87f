package dev.natsbus.autoconfigure.client;

import dev.natsbus.BusOperations;
import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.client.BusClientProxyFactory;
import dev.natsbus.template.BusTemplate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Declarative clients: every {@code @BusClient} interface in the application's packages
 * (those of {@code @SpringBootApplication}, as Boot finds entities and repositories)
 * becomes a bean, made by the {@link BusClientProxyFactory} bean on the application's
 * {@link BusOperations}, with placeholders from the environment. Interfaces elsewhere
 * come with {@code @EnableBusClients}.
 */
@AutoConfiguration(after = NatsBusAutoConfiguration.class)
@ConditionalOnClass(BusClientProxyFactory.class)
@Import(AutoConfiguredBusClientsRegistrar.class)
public final class NatsBusClientAutoConfiguration {

	/**
	 * The proxy factory of every client: on the application's single (or primary)
	 * {@link BusOperations}, else on the {@link BusTemplate}.
	 */
	@Bean
	@ConditionalOnMissingBean
	BusClientProxyFactory busClientProxyFactory(ObjectProvider<BusOperations> operations,
			ObjectProvider<BusTemplate> template, ConfigurableListableBeanFactory beanFactory) {
		BusClientProxyFactory factory = new BusClientProxyFactory(operations.getIfUnique(template::getObject));
		factory.setEmbeddedValueResolver(new EmbeddedValueResolver(beanFactory));
		return factory;
	}

}
