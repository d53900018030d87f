package dev.natsbus.autoconfigure;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ahead-of-time processing of the auto-configuration (no server needed: AOT processing
 * creates no connection): {@code natsbus.*} properties can be bound in a native image.
 */
class NatsBusAotTests {

	@Test
	void propertiesCanBeBound() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NatsBusAutoConfiguration.class))
			.withPropertyValues("natsbus.servers=nats://127.0.0.1:1")
			.prepare((prepared) -> {
				RuntimeHints hints = process(prepared.getSourceApplicationContext(GenericApplicationContext.class));
				assertThat(RuntimeHintsPredicates.reflection()
					.onMethodInvocation(NatsBusProperties.class.getMethod("setServers", List.class))).accepts(hints);
				assertThat(RuntimeHintsPredicates.reflection()
					.onMethodInvocation(NatsBusProperties.Request.class.getMethod("getTimeout"))).accepts(hints);
			});
	}

	private static RuntimeHints process(GenericApplicationContext context) {
		DefaultGenerationContext generation = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get(NatsBusAotTests.class)), new InMemoryGeneratedFiles());
		new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
		return generation.getRuntimeHints();
	}

}
