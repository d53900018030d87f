package dev.natsbus.kotlin.invalid

import dev.natsbus.BusClient
import dev.natsbus.BusRequest
import dev.natsbus.BusRequestMany
import dev.natsbus.BusSend
import java.util.concurrent.CompletableFuture
import kotlinx.coroutines.flow.Flow

/**
 * Declarations of suspend functions that cannot work, each refused when a proxy is made;
 * outside the packages that Boot scans for clients.
 */
object InvalidSuspendClients {

	@BusClient
	interface SuspendingFuture {

		@BusRequest("invalid.future")
		suspend fun quote(symbol: String): CompletableFuture<String>

	}

	@BusClient
	interface SuspendingSendWithReply {

		@BusSend("invalid.send")
		suspend fun viewed(symbol: String): String

	}

	@BusClient
	interface SuspendingRequestManyList {

		@BusRequestMany("invalid.many")
		suspend fun views(): List<Long>

	}

	@BusClient
	interface PlainFlow {

		@BusRequest("invalid.flow")
		fun quotes(symbol: String): Flow<String>

	}

	@BusClient
	interface SuspendingTwoPayloads {

		@BusRequest("invalid.two")
		suspend fun quote(symbol: String, region: String): String

	}

}
