package dev.natsbus.kotlin.listener

import dev.natsbus.BusClient
import dev.natsbus.BusListener
import dev.natsbus.BusRemoteException
import dev.natsbus.BusReplies
import dev.natsbus.BusRequest
import dev.natsbus.BusRequestMany
import dev.natsbus.BusService
import dev.natsbus.BusServiceException
import dev.natsbus.RequestMany
import dev.natsbus.template.BusTemplate
import dev.natsbus.test.NatsServerTest
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.runBlocking
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatExceptionOfType
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import org.springframework.beans.factory.annotation.Autowired
import org.springframework.boot.SpringBootConfiguration
import org.springframework.boot.autoconfigure.EnableAutoConfiguration
import org.springframework.boot.test.context.SpringBootTest
import org.springframework.context.annotation.Import
import org.springframework.messaging.Message
import org.springframework.messaging.handler.annotation.DestinationVariable
import org.springframework.messaging.handler.annotation.Header
import org.springframework.messaging.support.MessageBuilder
import org.springframework.stereotype.Component

/**
 * `suspend fun` listeners in a Boot application against a real server: answered when the
 * coroutine returns (the reply, an empty reply for `Unit` or `null`, an error reply for an
 * exception, streamed replies for a `Flow`), holding no worker while suspended, and a
 * `@BusService` whose suspend functions serve a `@BusClient` contract called through the
 * suspend proxy.
 */
@SpringBootTest(classes = [SuspendListenerTests.Application::class])
@NatsServerTest
@Timeout(60)
class SuspendListenerTests(@Autowired private val bus: BusTemplate, @Autowired private val listeners: Listeners,
		@Autowired private val orders: OrderService) {

	@Test
	fun `a suspend listener is answered with what the coroutine returns`() {
		assertThat(bus.request("kt.suspend.place", Order("o-1", 2), Receipt::class.java)).isEqualTo(Receipt("o-1", 2))
	}

	@Test
	fun `a suspend listener that returns Unit or null is answered with an empty reply`() {
		val unit = bus.request("kt.suspend.record", "noted", ByteArray::class.java)
		assertThat(unit).isEmpty()
		assertThat(listeners.recorded).hasValue("noted")
		assertThat(bus.request("kt.suspend.find", "missing", Receipt::class.java)).isNull()
		assertThat(bus.request("kt.suspend.find", "o-2", Receipt::class.java)).isEqualTo(Receipt("o-2", 1))
	}

	@Test
	fun `an exception thrown after suspending is an error reply with its code`() {
		assertThatExceptionOfType(BusRemoteException::class.java)
			.isThrownBy { bus.request("kt.suspend.fail", "o-3", String::class.java) }
			.satisfies({ assertThat(it.errorCode).isEqualTo(409) })
			.satisfies({ assertThat(it.remoteMessage).isEqualTo("o-3 already shipped") })
		assertThatExceptionOfType(BusRemoteException::class.java)
			.isThrownBy { bus.request("kt.suspend.crash", "o-3", String::class.java) }
			.satisfies({ assertThat(it.errorCode).isEqualTo(500) })
	}

	@Test
	fun `headers in, a Message out`() {
		val reply = bus.requestMessage("kt.suspend.echo",
				MessageBuilder.withPayload("hi").setHeader("X-Request-Id", "r-1").build(), String::class.java)
		assertThat(reply.payload).isEqualTo("HI")
		assertThat(reply.headers["X-Request-Id"]).isEqualTo("r-1")
	}

	@Test
	fun `nullability of a suspend listener's payload is respected`() {
		assertThat(bus.request("kt.suspend.describe", "null", String::class.java)).isEqualTo("no order")
		assertThatExceptionOfType(BusRemoteException::class.java)
			.isThrownBy { bus.request("kt.suspend.place", "null", Receipt::class.java) }
			.satisfies({ assertThat(it.errorCode).isEqualTo(400) })
			.satisfies({ assertThat(it.remoteMessage).isEqualTo("Cannot read parameter 'order': expected a JSON object, got null") })
	}

	@Test
	fun `a suspended listener holds no worker - ten requests run at once with concurrency 1`() {
		val replies = (1..10).map { bus.requestAsync("kt.suspend.gated", it, Int::class.java, Duration.ofSeconds(10)) }
		// All ten coroutines have started, each suspended at the gate, on one worker.
		await().atMost(Duration.ofSeconds(5)).until { listeners.waiting.get() == 10 }
		listeners.gate.complete(Unit)
		assertThat(CompletableFuture.allOf(*replies.toTypedArray()).thenApply { replies.map { it.join() } }
			.get(5, java.util.concurrent.TimeUnit.SECONDS)).containsExactlyElementsOf(1..10)
	}

	@Test
	fun `a Flow from a suspend listener is answered with streamed replies`() {
		val replies = bus.requestMany("kt.suspend.count", 3, Int::class.java,
				RequestMany.defaults().withSentinel().withMaxWait(Duration.ofSeconds(5)))
		assertThat(replies.values()).containsExactly(1, 2, 3)
		assertThat(replies.endedBy()).isEqualTo(BusReplies.EndedBy.SENTINEL)
	}

	@Test
	fun `a Flow from a plain listener is answered with streamed replies too`() {
		val replies = bus.requestMany("kt.flow.count", 2, Int::class.java,
				RequestMany.defaults().withSentinel().withMaxWait(Duration.ofSeconds(5)))
		assertThat(replies.values()).containsExactly(1, 2)
		assertThat(replies.endedBy()).isEqualTo(BusReplies.EndedBy.SENTINEL)
		val failing = bus.requestMany("kt.flow.count", -1, Int::class.java,
				RequestMany.defaults().withSentinel().withMaxWait(Duration.ofSeconds(5)))
		assertThat(failing.values()).containsExactly(0)
		assertThat(failing.errors()).singleElement()
			.satisfies({ assertThat((it as BusRemoteException).errorCode).isEqualTo(422) })
	}

	@Test
	fun `a served contract of suspend functions is called through the suspend proxy`() = runBlocking<Unit> {
		assertThat(orders.place(Order("o-5", 5))).isEqualTo(Receipt("o-5", 5))
		assertThat(orders.region("eu", Order("o-6", 1))).isEqualTo("eu:o-6")
		orders.cancel("o-7")
		assertThat(listeners.cancelled).contains("o-7")
		assertThatExceptionOfType(BusRemoteException::class.java)
			.isThrownBy { runBlocking { orders.cancel("shipped") } }
			.satisfies({ assertThat(it.errorCode).isEqualTo(409) })
		assertThat(orders.history("o-8").values()).containsExactly("o-8:placed")
	}

	data class Order(val id: String, val quantity: Int)

	data class Receipt(val orderId: String, val quantity: Int)

	@BusClient(timeout = "5s")
	interface OrderService {

		@BusRequest("kt.served.place")
		suspend fun place(order: Order): Receipt

		@BusRequest("kt.served.{region}.place")
		suspend fun region(@DestinationVariable region: String, order: Order): String

		@BusRequest("kt.served.cancel")
		suspend fun cancel(id: String)

		@BusRequestMany(value = "kt.served.history", maxReplies = "1")
		suspend fun history(id: String): BusReplies<String>

	}

	@BusService("kt-orders")
	class OrderServiceImpl(private val listeners: Listeners) : OrderService {

		override suspend fun place(order: Order): Receipt {
			delay(5)
			return Receipt(order.id, order.quantity)
		}

		override suspend fun region(region: String, order: Order): String {
			delay(5)
			return "$region:${order.id}"
		}

		override suspend fun cancel(id: String) {
			delay(5)
			if (id == "shipped") {
				throw BusServiceException(409, "already shipped")
			}
			listeners.cancelled.add(id)
		}

		override suspend fun history(id: String): BusReplies<String> {
			delay(5)
			return BusReplies.of(listOf("$id:placed"))
		}

	}

	@Component
	class Listeners {

		val recorded = java.util.concurrent.atomic.AtomicReference<String>()

		val cancelled = java.util.concurrent.CopyOnWriteArrayList<String>()

		val waiting = AtomicInteger()

		val gate = CompletableDeferred<Unit>()

		@BusListener("kt.suspend.place")
		suspend fun place(order: Order): Receipt {
			delay(5)
			return Receipt(order.id, order.quantity)
		}

		@BusListener("kt.suspend.record")
		suspend fun record(note: String) {
			delay(5)
			recorded.set(note)
		}

		@BusListener("kt.suspend.find")
		suspend fun find(id: String): Receipt? {
			delay(5)
			return if (id == "missing") null else Receipt(id, 1)
		}

		@BusListener("kt.suspend.fail")
		suspend fun fail(id: String): String {
			delay(5)
			throw BusServiceException(409, "$id already shipped")
		}

		@BusListener("kt.suspend.crash")
		suspend fun crash(id: String): String {
			delay(5)
			throw IllegalStateException("the database is gone")
		}

		@BusListener("kt.suspend.echo")
		suspend fun echo(text: String, @Header("X-Request-Id") requestId: String): Message<String> {
			delay(5)
			return MessageBuilder.withPayload(text.uppercase()).setHeader("X-Request-Id", requestId).build()
		}

		@BusListener("kt.suspend.describe")
		suspend fun describe(order: Order?): String {
			delay(5)
			return order?.id ?: "no order"
		}

		@BusListener(value = "kt.suspend.gated", concurrency = "1")
		suspend fun gated(n: Int): Int {
			waiting.incrementAndGet()
			gate.await()
			return n
		}

		@BusListener("kt.flow.count")
		fun flowCount(upTo: Int): Flow<Int> = flow {
			if (upTo < 0) {
				emit(0)
				delay(5)
				throw BusServiceException(422, "cannot count to $upTo")
			}
			for (i in 1..upTo) {
				emit(i)
			}
		}

		@BusListener("kt.suspend.count")
		suspend fun count(upTo: Int): Flow<Int> {
			delay(5)
			return flow {
				for (i in 1..upTo) {
					emit(i)
				}
			}
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Listeners::class, OrderServiceImpl::class)
	class Application

}
