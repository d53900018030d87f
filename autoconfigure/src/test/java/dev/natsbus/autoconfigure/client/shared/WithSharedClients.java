package dev.natsbus.autoconfigure.client.shared;

import dev.natsbus.client.EnableBusClients;

import org.springframework.context.annotation.Configuration;

/** Asks for the shared contract's clients. */
@Configuration(proxyBeanMethods = false)
@EnableBusClients(basePackageClasses = SharedClient.class)
public class WithSharedClients {

}
