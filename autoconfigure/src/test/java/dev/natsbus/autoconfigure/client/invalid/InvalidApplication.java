package dev.natsbus.autoconfigure.client.invalid;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;

/** An application whose package holds {@link InvalidClient}. */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
public class InvalidApplication {

}
