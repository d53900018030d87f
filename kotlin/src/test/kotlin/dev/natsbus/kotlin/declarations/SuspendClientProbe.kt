package dev.natsbus.kotlin.declarations

import dev.natsbus.BusClient
import dev.natsbus.BusRequest
import dev.natsbus.client.BusClientProxyFactory
import dev.natsbus.connection.NatsConnectionPool
import dev.natsbus.conversion.JsonPayloadConverter
import dev.natsbus.template.BusTemplate
import io.nats.client.Options

/**
 * Makes a proxy of a client with a suspend method in whatever class loader loads it, and
 * says what happened: run by [SuspendDeclarationTests] in one that lacks
 * kotlinx-coroutines.
 */
object SuspendClientProbe {

	@BusClient
	interface QuoteClient {

		@BusRequest("probe.quote")
		suspend fun quote(symbol: String): String

	}

	@JvmStatic
	fun create(url: String): String {
		NatsConnectionPool.connect(listOf(Options.Builder().server(url).build())).use { pool ->
			val template = BusTemplate(pool, JsonPayloadConverter())
			return try {
				BusClientProxyFactory(template).createClient(QuoteClient::class.java)
				"created"
			}
			catch (ex: IllegalStateException) {
				ex.message ?: ex.toString()
			}
		}
	}

}
