package dev.natsbus.kotlin.payload

import dev.natsbus.BusListener
import dev.natsbus.BusRemoteException
import dev.natsbus.template.BusTemplate
import dev.natsbus.test.NatsServerTest
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatExceptionOfType
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import org.springframework.beans.factory.annotation.Autowired
import org.springframework.boot.SpringBootConfiguration
import org.springframework.boot.autoconfigure.EnableAutoConfiguration
import org.springframework.boot.test.context.SpringBootTest
import org.springframework.context.annotation.Import
import org.springframework.messaging.handler.annotation.Header
import org.springframework.stereotype.Component
import tools.jackson.databind.json.JsonMapper
import tools.jackson.module.kotlin.KotlinModule

/**
 * Kotlin data classes as payloads and replies in a Boot application with
 * jackson-module-kotlin on the class path, against a real server: the bus reads them with
 * Boot's JsonMapper, which registers the module, so defaults apply and the nullability of
 * the Kotlin types is respected in both directions.
 */
@SpringBootTest(classes = [DataClassPayloadTests.Application::class])
@NatsServerTest
@Timeout(60)
class DataClassPayloadTests(@Autowired private val bus: BusTemplate, @Autowired private val jsonMapper: JsonMapper) {

	@Test
	fun `the bus reads with Boot's JsonMapper, which has the Kotlin module`() {
		assertThat(jsonMapper.registeredModules()).anyMatch { it is KotlinModule }
	}

	@Test
	fun `a data class travels as JSON both ways`() {
		val receipt = bus.request("orders.place", Order("o-1", 3, note = "gift"), Receipt::class.java)
		assertThat(receipt).isEqualTo(Receipt("o-1", 3, "EUR", "gift"))
	}

	@Test
	fun `a missing property with a default takes the default, a missing nullable one is null`() {
		val receipt = bus.request("orders.place", """{"id":"o-2","quantity":1}""", Receipt::class.java)
		assertThat(receipt).isEqualTo(Receipt("o-2", 1, "EUR", null))
	}

	@Test
	fun `a missing non-null property is a bad request`() {
		assertThatExceptionOfType(BusRemoteException::class.java)
			.isThrownBy { bus.request("orders.place", """{"quantity":1}""", Receipt::class.java) }
			.satisfies({ assertThat(it.errorCode).isEqualTo(400) })
			.satisfies({ assertThat(it.remoteMessage).contains("parameter 'order'").contains("'id'") })
	}

	@Test
	fun `a null non-null property is a bad request`() {
		assertThatExceptionOfType(BusRemoteException::class.java)
			.isThrownBy { bus.request("orders.place", """{"id":null,"quantity":1}""", Receipt::class.java) }
			.satisfies({ assertThat(it.errorCode).isEqualTo(400) })
			.satisfies({ assertThat(it.remoteMessage).contains("'id'") })
	}

	@Test
	fun `JSON null for a non-null parameter is a bad request`() {
		assertThatExceptionOfType(BusRemoteException::class.java)
			.isThrownBy { bus.request("orders.place", "null", Receipt::class.java) }
			.satisfies({ assertThat(it.errorCode).isEqualTo(400) })
			.satisfies({ assertThat(it.remoteMessage).contains("parameter 'order'").contains("null") })
	}

	@Test
	fun `an empty request for a non-null parameter is a bad request`() {
		assertThatExceptionOfType(BusRemoteException::class.java)
			.isThrownBy { bus.request("orders.place", null, Receipt::class.java) }
			.satisfies({ assertThat(it.errorCode).isEqualTo(400) })
			.satisfies({ assertThat(it.remoteMessage).contains("The request is empty") })
	}

	@Test
	fun `a nullable parameter takes JSON null and an empty request as null`() {
		assertThat(bus.request("orders.describe", "null", String::class.java)).isEqualTo("no order")
		assertThat(bus.request("orders.describe", null, String::class.java)).isEqualTo("no order")
		assertThat(bus.request("orders.describe", Order("o-3", 2), String::class.java)).isEqualTo("o-3 x2")
	}

	@Test
	fun `a nullable parameter still refuses what is not its type`() {
		assertThatExceptionOfType(BusRemoteException::class.java)
			.isThrownBy { bus.request("orders.describe", "[1]", String::class.java) }
			.satisfies({ assertThat(it.errorCode).isEqualTo(400) })
	}

	@Test
	fun `a non-null header is required, a nullable one is not`() {
		assertThatExceptionOfType(BusRemoteException::class.java)
			.isThrownBy { bus.request("orders.tagged", "o-4", String::class.java) }
			.satisfies({ assertThat(it.errorCode).isEqualTo(400) })
			.satisfies({ assertThat(it.remoteMessage).isEqualTo("Missing header 'X-Tenant'") })
		val reply = bus.requestMessage("orders.tagged",
				org.springframework.messaging.support.MessageBuilder.withPayload("o-4")
					.setHeader("X-Tenant", "acme")
					.build(),
				String::class.java)
		assertThat(reply.payload).isEqualTo("o-4 for acme (no channel)")
	}

	@Test
	fun `a list of data classes keeps its element type`() {
		val quantities = bus.request("orders.quantities", listOf(Order("a", 1), Order("b", 2)),
				object : org.springframework.core.ParameterizedTypeReference<List<Int>>() {})
		assertThat(quantities).containsExactly(1, 2)
	}

	data class Order(val id: String, val quantity: Int, val currency: String = "EUR", val note: String? = null)

	data class Receipt(val orderId: String, val quantity: Int, val currency: String, val note: String?)

	@Component
	class Orders {

		@BusListener("orders.place")
		fun place(order: Order): Receipt = Receipt(order.id, order.quantity, order.currency, order.note)

		@BusListener("orders.describe")
		fun describe(order: Order?): String = order?.let { "${it.id} x${it.quantity}" } ?: "no order"

		@BusListener("orders.tagged")
		fun tagged(id: String, @Header("X-Tenant") tenant: String, @Header("X-Channel") channel: String?): String =
			"$id for $tenant (${channel ?: "no channel"})"

		@BusListener("orders.quantities")
		fun quantities(orders: List<Order>): List<Int> = orders.map { it.quantity }

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Orders::class)
	class Application

}
