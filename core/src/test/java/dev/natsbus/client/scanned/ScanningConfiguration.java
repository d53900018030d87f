package dev.natsbus.client.scanned;

import dev.natsbus.client.EnableBusClients;

import org.springframework.context.annotation.Configuration;

/** Scans its own package, having named nothing. */
@Configuration(proxyBeanMethods = false)
@EnableBusClients
public class ScanningConfiguration {

}
