package dev.natsbus.kotlin.declarations

import dev.natsbus.conversion.JsonPayloadConverter
import dev.natsbus.listener.adapter.BusHandlerMethodFactory
import dev.natsbus.listener.adapter.IncomingMessages
import dev.natsbus.protocol.NatsHeaderMapper
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flowOf
import kotlin.coroutines.Continuation

/**
 * Makes the handler method of a suspend listener in whatever class loader loads it, and
 * says what happened: run by [SuspendDeclarationTests] in one that lacks
 * kotlinx-coroutines-reactor.
 */
object SuspendListenerProbe {

	class Listener {

		suspend fun handle(text: String): String = text

	}

	class FlowListener {

		fun numbers(): Flow<Int> = flowOf(1, 2)

	}

	/** The invocation of a listener that returns a Flow. */
	@JvmStatic
	fun createFlow(): String {
		val factory = BusHandlerMethodFactory(JsonPayloadConverter())
		factory.afterPropertiesSet()
		return try {
			factory.createInvocation(FlowListener(), FlowListener::class.java.getMethod("numbers"),
					IncomingMessages(NatsHeaderMapper()))
			"created"
		}
		catch (ex: IllegalStateException) {
			ex.message ?: ex.toString()
		}
	}

	/** The handler method of a suspend listener. */
	@JvmStatic
	fun create(): String {
		val factory = BusHandlerMethodFactory(JsonPayloadConverter())
		factory.afterPropertiesSet()
		val method = Listener::class.java.getMethod("handle", String::class.java, Continuation::class.java)
		return try {
			factory.createInvocableHandlerMethod(Listener(), method)
			"created"
		}
		catch (ex: IllegalStateException) {
			ex.message ?: ex.toString()
		}
	}

}
