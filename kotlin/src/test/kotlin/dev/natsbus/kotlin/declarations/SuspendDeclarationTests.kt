package dev.natsbus.kotlin.declarations

import dev.natsbus.BusClient
import dev.natsbus.BusListener
import dev.natsbus.BusReplies
import dev.natsbus.BusRequestMany
import dev.natsbus.BusService
import dev.natsbus.autoconfigure.NatsBusAutoConfiguration
import dev.natsbus.test.NatsServer
import dev.natsbus.test.NatsServerTest
import java.io.File
import java.net.URLClassLoader
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.test.context.runner.ApplicationContextRunner
import org.springframework.context.annotation.Bean
import org.springframework.context.annotation.Configuration
import org.springframework.messaging.handler.annotation.Header

/**
 * Suspend listeners and clients that cannot work fail when they are made, saying why: two
 * payloads (the Continuation Kotlin adds is not one), and a class path without what Spring
 * invokes suspend functions with, a suspend function serving a streamed request-many; and a
 * suspend client method without kotlinx-coroutines.
 */
@NatsServerTest
@Timeout(60)
class SuspendDeclarationTests {

	private val runner = ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsBusAutoConfiguration::class.java))

	@Test
	fun `a suspend listener with one payload and headers starts, one with two payloads does not`(server: NatsServer) {
		runner.withPropertyValues("natsbus.servers=" + server.url())
			.withUserConfiguration(OnePayload::class.java)
			.run { assertThat(it).hasNotFailed() }
		runner.withPropertyValues("natsbus.servers=" + server.url())
			.withUserConfiguration(TwoPayloads::class.java)
			.run {
				assertThat(it).hasFailed()
				assertThat(it.startupFailure).rootCause()
					.hasMessageContaining("more than one parameter claims the payload [String text, String other]")
			}
	}

	@Test
	fun `a suspend function cannot serve a request-many answered with the sentinel`(server: NatsServer) {
		runner.withPropertyValues("natsbus.servers=" + server.url())
			.withUserConfiguration(StreamedHistoryService::class.java)
			.run {
				assertThat(it).hasFailed()
				assertThat(it.startupFailure).rootCause()
					.hasMessageContaining("the BusReplies of a suspend function cannot be answered as a streamed reply")
			}
	}

	@BusClient
	interface StreamedHistory {

		@BusRequestMany(value = "kt.declarations.history", sentinel = true)
		suspend fun history(id: String): BusReplies<String>

	}

	@BusService("kt-history")
	class StreamedHistoryService : StreamedHistory {

		override suspend fun history(id: String): BusReplies<String> = BusReplies.of(listOf(id))

	}

	@Test
	fun `a suspend or Flow listener without kotlinx-coroutines-reactor fails saying what is missing`() {
		assertThat(SuspendListenerProbe.create()).isEqualTo("created")
		assertThat(SuspendListenerProbe.createFlow()).isEqualTo("created")
		withoutCoroutinesReactor().use { loader ->
			val probe = Class.forName(SuspendListenerProbe::class.java.name, true, loader)
			assertThat(probe.classLoader).isSameAs(loader)
			val (outcome, flowOutcome) = inContextOf(loader) {
				probe.getMethod("create").invoke(null) as String to probe.getMethod("createFlow").invoke(null) as String
			}
			assertThat(flowOutcome).isEqualTo("the method returns a Kotlin Flow, which is answered as a Reactor Flux: "
					+ "add kotlinx-coroutines-reactor and Reactor to the application")
			assertThat(outcome)
				.contains("suspend function")
				.contains("kotlinx-coroutines-reactor")
				.contains("kotlinx.coroutines.reactor.MonoKt is missing")
		}
	}

	@Test
	fun `a suspend client method without kotlinx-coroutines fails saying what is missing`(server: NatsServer) {
		assertThat(SuspendClientProbe.create(server.url())).isEqualTo("created")
		without("kotlinx.coroutines.").use { loader ->
			val probe = Class.forName(SuspendClientProbe::class.java.name, true, loader)
			assertThat(inContextOf(loader) { probe.getMethod("create", String::class.java).invoke(null, server.url()) as String })
				.isEqualTo("Invalid @BusClient method " + SuspendClientProbe.QuoteClient::class.java.name
						+ ".quote(String, Continuation): a suspend function needs kotlinx-coroutines-core on the class path")
		}
	}

	/** Runs [block] with [loader] as the context class loader, with which Jackson finds its modules. */
	private fun <T> inContextOf(loader: ClassLoader, block: () -> T): T {
		val thread = Thread.currentThread()
		val previous = thread.contextClassLoader
		thread.contextClassLoader = loader
		try {
			return block()
		}
		finally {
			thread.contextClassLoader = previous
		}
	}

	private fun withoutCoroutinesReactor() = without("kotlinx.coroutines.reactor.")

	/** The test class path, with the classes whose names start with [prefix] refused. */
	private fun without(prefix: String): URLClassLoader {
		val classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
		val urls = classPath.split(File.pathSeparator).filter { it.isNotEmpty() }.map { File(it).toURI().toURL() }
		return object : URLClassLoader(urls.toTypedArray(), ClassLoader.getPlatformClassLoader()) {

			override fun loadClass(name: String, resolve: Boolean): Class<*> {
				if (name.startsWith(prefix)) {
					throw ClassNotFoundException("$name (left out by the test)")
				}
				return super.loadClass(name, resolve)
			}

		}
	}

	@Configuration(proxyBeanMethods = false)
	class OnePayload {

		@Bean
		fun onePayload() = object {

			@BusListener("kt.declarations.one")
			suspend fun handle(text: String, @Header("X-Tenant") tenant: String?): String = text

		}

	}

	@Configuration(proxyBeanMethods = false)
	class TwoPayloads {

		@Bean
		fun twoPayloads() = TwoPayloadListener()

	}

	class TwoPayloadListener {

		@BusListener("kt.declarations.two")
		suspend fun handle(text: String, other: String): String = text + other

	}

}
