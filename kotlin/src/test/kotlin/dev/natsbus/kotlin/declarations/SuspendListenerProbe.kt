package dev.natsbus.kotlin.declarations

import dev.natsbus.conversion.JsonPayloadConverter
import dev.natsbus.listener.adapter.BusHandlerMethodFactory
import kotlin.coroutines.Continuation

/**
 * Makes the handler method of a suspend listener in whatever class loader loads it, and
 * says what happened: run by [SuspendListenerDeclarationTests] in one that lacks
 * kotlinx-coroutines-reactor.
 */
object SuspendListenerProbe {

	class Listener {

		suspend fun handle(text: String): String = text

	}

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
