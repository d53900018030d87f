package dev.natsbus.client;

import java.util.Map;

import dev.natsbus.client.shared.QuoteContract;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.core.io.InputStreamSource;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ahead-of-time processing of a context with clients: a JDK proxy hint for each
 * {@code @BusClient} interface, JSON binding hints for its payload and reply types, and
 * generated bean definitions for the clients (the registration itself is not carried into
 * the generated code).
 */
class BusClientAotTests {

	@Configuration(proxyBeanMethods = false)
	@EnableBusClients(clients = QuoteContract.class)
	static class Clients {

	}

	@Test
	void proxyHintsForEachClient() throws Exception {
		InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
		DefaultGenerationContext generation = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get(BusClientAotTests.class)), files);
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			context.register(Clients.class);
			new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
		}
		generation.writeGeneratedContent();
		RuntimeHints hints = generation.getRuntimeHints();
		assertThat(RuntimeHintsPredicates.proxies().forInterfaces(QuoteContract.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(QuoteContract.class)
			.withMemberCategory(MemberCategory.INTROSPECT_PUBLIC_METHODS)).accepts(hints);
		// Payload and reply types bind to JSON: Quote in List, CompletableFuture,
		// Message and BusReplies.
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Quote.class.getDeclaredMethod("symbol")))
			.accepts(hints);
		StringBuilder sources = new StringBuilder();
		for (Map.Entry<String, InputStreamSource> file : files.getGeneratedFiles(Kind.SOURCE).entrySet()) {
			sources.append(new String(file.getValue().getInputStream().readAllBytes()));
		}
		assertThat(sources).contains("BusClientFactoryBean", "QuoteContract.class")
			.doesNotContain(BusClientRegistrations.BEAN_NAME);
	}

}
