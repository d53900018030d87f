package dev.natsbus.kotlin.client

import dev.natsbus.BusClient
import dev.natsbus.BusConversionException
import dev.natsbus.BusListener
import dev.natsbus.BusNoRespondersException
import dev.natsbus.BusRemoteException
import dev.natsbus.BusReplies
import dev.natsbus.BusRequest
import dev.natsbus.BusRequestMany
import dev.natsbus.BusSend
import dev.natsbus.BusServiceException
import dev.natsbus.BusTimeoutException
import dev.natsbus.client.BusClientProxyFactory
import dev.natsbus.kotlin.invalid.InvalidSuspendClients
import dev.natsbus.template.BusTemplate
import dev.natsbus.test.NatsServer
import dev.natsbus.test.NatsServerTest
import io.nats.client.Message
import io.nats.client.Nats
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.Executors
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.asCoroutineDispatcher
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
import org.springframework.messaging.handler.annotation.DestinationVariable
import org.springframework.messaging.handler.annotation.Header
import org.springframework.messaging.support.MessageBuilder
import org.springframework.stereotype.Component
import java.nio.charset.StandardCharsets
import java.util.concurrent.atomic.AtomicReference

/**
 * `suspend` methods of a `@BusClient` interface, made a bean by Boot, against a real
 * server: the coroutine is suspended until the reply comes (no thread waits: one thread
 * has many calls in flight), failures are the template's typed exceptions thrown to the
 * coroutine, and cancelling the coroutine cancels the request.
 */
@SpringBootTest(classes = [SuspendClientTests.Application::class])
@NatsServerTest
@Timeout(60)
class SuspendClientTests(@Autowired private val orders: OrderClient, @Autowired private val bus: BusTemplate,
		@Autowired private val handlers: Handlers) {

	@Test
	fun `a suspend request returns the reply as a data class`() = runBlocking<Unit> {
		assertThat(orders.place(Order("o-1", 3))).isEqualTo(Receipt("o-1", 3))
	}

	@Test
	fun `a generic reply keeps its element type, and subject variables are bound`() = runBlocking<Unit> {
		assertThat(orders.list("eu")).containsExactly(Receipt("eu-1", 1), Receipt("eu-2", 2))
	}

	@Test
	fun `a suspend request that returns Unit waits for the empty reply`() = runBlocking<Unit> {
		orders.record("noted")
		assertThat(handlers.recorded.get()).isEqualTo("noted")
	}

	@Test
	fun `a Message reply carries headers both ways`() = runBlocking<Unit> {
		val reply = orders.echo("hi", "r-7")
		assertThat(reply.payload).isEqualTo("hi")
		assertThat(reply.headers["X-Request-Id"]).isEqualTo("r-7")
	}

	@Test
	fun `a suspend send publishes without waiting`() {
		runBlocking { orders.viewed("o-9") }
		await().atMost(Duration.ofSeconds(5)).until { handlers.viewed.contains("o-9") }
	}

	@Test
	fun `a suspend request-many gathers the replies`() = runBlocking<Unit> {
		val replies = orders.counts()
		assertThat(replies.values()).containsExactlyInAnyOrder(1, 2)
		assertThat(replies.endedBy()).isEqualTo(BusReplies.EndedBy.MAX_REPLIES)
	}

	@Test
	fun `an error reply is thrown to the coroutine as the typed exception`() {
		assertThatExceptionOfType(BusRemoteException::class.java).isThrownBy { runBlocking { orders.fail() } }
			.satisfies({ assertThat(it.errorCode).isEqualTo(409) })
			.satisfies({ assertThat(it.remoteMessage).isEqualTo("already shipped") })
	}

	@Test
	fun `no listener is thrown at once as no responders`() {
		assertThatExceptionOfType(BusNoRespondersException::class.java)
			.isThrownBy { runBlocking { orders.nobody() } }
	}

	@Test
	fun `no reply in time is a timeout, from the Duration parameter`(server: NatsServer) {
		Nats.connect(server.url()).use { silent ->
			silent.subscribe("orders.silent")
			silent.flush(Duration.ofSeconds(2))
			val started = System.nanoTime()
			assertThatExceptionOfType(BusTimeoutException::class.java)
				.isThrownBy { runBlocking { orders.silent(Duration.ofMillis(300)) } }
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2))
		}
	}

	@Test
	fun `cancelling the coroutine cancels the request`(server: NatsServer) {
		Nats.connect(server.url()).use { silent ->
			silent.subscribe("orders.silent")
			silent.flush(Duration.ofSeconds(2))
			runBlocking {
				val call = launch(Dispatchers.Default) { orders.silent(Duration.ofSeconds(30)) }
				await().atMost(Duration.ofSeconds(5)).until { bus.requestsInFlight == 1 }
				call.cancelAndJoin()
				assertThat(call.isCancelled).isTrue()
				await().atMost(Duration.ofSeconds(5)).until { bus.requestsInFlight == 0 }
			}
		}
	}

	@Test
	fun `no thread waits for a reply - one thread has fifty calls in flight`(server: NatsServer) {
		val calls = 50
		Nats.connect(server.url()).use { responder ->
			// Answers only once every call has arrived: calls that each held the thread
			// until their reply would time out one by one.
			val pending = CopyOnWriteArrayList<Message>()
			responder.createDispatcher { message ->
				pending.add(message)
				if (pending.size == calls) {
					pending.forEach { responder.publish(it.replyTo, it.data) }
				}
			}.subscribe("orders.gather")
			responder.flush(Duration.ofSeconds(2))
			Executors.newSingleThreadExecutor().asCoroutineDispatcher().use { oneThread ->
				val replies = runBlocking(oneThread) {
					(1..calls).map { async { orders.gather(it) } }.awaitAll()
				}
				assertThat(replies).isEqualTo((1..calls).toList())
			}
		}
	}

	@Test
	fun `an empty reply fails for a non-null return type and is null for a nullable one`() {
		assertThatExceptionOfType(BusConversionException::class.java).isThrownBy { runBlocking { orders.empty() } }
			.withMessageContaining("is empty")
			.withMessageContaining("not nullable")
		assertThat(runBlocking { orders.maybe() }).isNull()
		assertThatExceptionOfType(BusConversionException::class.java).isThrownBy { orders.emptyNow() }
			.withMessageContaining("not nullable")
	}

	@Test
	fun `a bad subject variable is refused before anything is sent`() {
		assertThatExceptionOfType(IllegalArgumentException::class.java)
			.isThrownBy { runBlocking { orders.list("e.u") } }
	}

	@Test
	fun `invalid suspend declarations fail when the proxy is made, naming interface and method`() {
		val factory = BusClientProxyFactory(bus)
		assertThatExceptionOfType(IllegalStateException::class.java)
			.isThrownBy { factory.createClient(InvalidSuspendClients.SuspendingFuture::class.java) }
			.withMessageContaining("SuspendingFuture.quote(")
			.withMessageContaining("a suspend function returns the reply itself")
		assertThatExceptionOfType(IllegalStateException::class.java)
			.isThrownBy { factory.createClient(InvalidSuspendClients.SuspendingSendWithReply::class.java) }
			.withMessageContaining("SuspendingSendWithReply.viewed(")
			.withMessageContaining("must return Unit")
		assertThatExceptionOfType(IllegalStateException::class.java)
			.isThrownBy { factory.createClient(InvalidSuspendClients.SuspendingRequestManyList::class.java) }
			.withMessageContaining("a suspend @BusRequestMany returns BusReplies<T>")
		assertThatExceptionOfType(IllegalStateException::class.java)
			.isThrownBy { factory.createClient(InvalidSuspendClients.PlainFlow::class.java) }
			.withMessageContaining("PlainFlow.quotes(")
			.withMessageContaining("a Kotlin Flow is not a client's return type")
		assertThatExceptionOfType(IllegalStateException::class.java)
			.isThrownBy { factory.createClient(InvalidSuspendClients.SuspendingTwoPayloads::class.java) }
			.withMessageContaining("more than one parameter claims the payload")
	}

	data class Order(val id: String, val quantity: Int)

	data class Receipt(val orderId: String, val quantity: Int)

	@BusClient(timeout = "2s")
	interface OrderClient {

		@BusRequest("kt.orders.place")
		suspend fun place(order: Order): Receipt

		@BusRequest("kt.orders.{region}.list")
		suspend fun list(@DestinationVariable region: String): List<Receipt>

		@BusRequest("kt.orders.record")
		suspend fun record(note: String)

		@BusRequest("kt.orders.echo")
		suspend fun echo(text: String, @Header("X-Request-Id") requestId: String): org.springframework.messaging.Message<String>

		@BusSend("kt.orders.viewed")
		suspend fun viewed(id: String)

		@BusRequestMany(value = "kt.orders.count", maxReplies = "2")
		suspend fun counts(): BusReplies<Int>

		@BusRequest("kt.orders.fail")
		suspend fun fail(): String

		@BusRequest("kt.orders.nobody")
		suspend fun nobody(): String

		@BusRequest("orders.silent")
		suspend fun silent(timeout: Duration): String

		@BusRequest("orders.gather")
		suspend fun gather(n: Int): Int

		@BusRequest("kt.orders.empty")
		suspend fun empty(): Receipt

		@BusRequest("kt.orders.empty")
		suspend fun maybe(): Receipt?

		@BusRequest("kt.orders.empty")
		fun emptyNow(): Receipt

	}

	@Component
	class Handlers {

		val recorded = AtomicReference<String>()

		val viewed = CopyOnWriteArrayList<String>()

		@BusListener("kt.orders.place")
		fun place(order: Order) = Receipt(order.id, order.quantity)

		@BusListener("kt.orders.*.list")
		fun list(@Header("nats_subject") subject: String): List<Receipt> {
			val region = subject.split('.')[2]
			return listOf(Receipt("$region-1", 1), Receipt("$region-2", 2))
		}

		@BusListener("kt.orders.record")
		fun record(note: String) = recorded.set(note)

		@BusListener("kt.orders.echo")
		fun echo(text: String, @Header("X-Request-Id") requestId: String) =
			MessageBuilder.withPayload(text).setHeader("X-Request-Id", requestId).build()

		@BusListener("kt.orders.viewed")
		fun viewed(id: String) {
			viewed.add(id)
		}

		@BusListener(value = "kt.orders.count", broadcast = true)
		fun one() = 1

		@BusListener(value = "kt.orders.count", broadcast = true, id = "two")
		fun two() = 2

		@BusListener("kt.orders.fail")
		fun fail(): String = throw BusServiceException(409, "already shipped")

		@BusListener("kt.orders.empty")
		fun empty(): Receipt? = null

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Handlers::class)
	class Application

}
