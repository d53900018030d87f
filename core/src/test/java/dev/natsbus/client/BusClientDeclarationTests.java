package dev.natsbus.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

import dev.natsbus.BusClient;
import dev.natsbus.BusReplies;
import dev.natsbus.BusRequest;
import dev.natsbus.BusRequestMany;
import dev.natsbus.BusSend;
import dev.natsbus.BusTestContext;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.DestinationVariable;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.annotation.Payload;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Every declaration that cannot work fails when the proxy is made, with a message that
 * names the interface, the method and what to change.
 */
class BusClientDeclarationTests {

	private static NatsServer server;

	private static AnnotationConfigApplicationContext context;

	private static BusClientProxyFactory factory;

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
		context = BusTestContext.start(server.url(), NoComponents.class);
		factory = new BusClientProxyFactory(context.getBean(BusTemplate.class));
	}

	@AfterAll
	static void stop() {
		context.close();
		server.close();
	}

	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	static class NoComponents {

	}

	private static void assertInvalid(Class<?> type, String method, String reason) {
		assertThatIllegalStateException().isThrownBy(() -> factory.createClient(type))
			.withMessageStartingWith("Invalid @BusClient method " + type.getName() + "." + method + ": ")
			.withMessageContaining(reason);
	}

	@BusClient
	interface WithoutAnnotation {

		@BusRequest("quotes.get")
		Quote get(String symbol);

		Quote forgotten(String symbol);

	}

	@Test
	void methodWithoutAnAnnotation() {
		assertInvalid(WithoutAnnotation.class, "forgotten(String)",
				"it has no @BusRequest, @BusSend or @BusRequestMany");
	}

	@BusClient
	interface WithoutSubject {

		@BusRequest
		Quote get(String symbol);

	}

	@Test
	void methodWithoutASubject() {
		assertInvalid(WithoutSubject.class, "get(String)", "the subject must not be empty");
	}

	@BusClient
	interface TwoPayloads {

		@BusRequest("quotes.reprice")
		Quote reprice(Quote quote, String note);

	}

	@Test
	void twoPayloads() {
		assertInvalid(TwoPayloads.class, "reprice(Quote, String)",
				"more than one parameter claims the payload [Quote quote, String note]");
	}

	@BusClient
	interface SendWithAReply {

		@BusSend("quotes.viewed")
		String viewed(String symbol);

	}

	@Test
	void sendThatIsNotVoid() {
		assertInvalid(SendWithAReply.class, "viewed(String)",
				"@BusSend is fire-and-forget and must be void, not java.lang.String");
	}

	@BusClient
	interface StreamReturn {

		@BusRequest("quotes.history")
		Stream<Quote> history(String symbol);

	}

	@Test
	void unsupportedReturnTypeOfARequest() {
		assertInvalid(StreamReturn.class, "history(String)", "unsupported return type java.util.stream.Stream");
	}

	@BusClient
	interface RepliesOfARequest {

		@BusRequest("quotes.views")
		BusReplies<Long> views();

	}

	@Test
	void repliesNeedRequestMany() {
		assertInvalid(RepliesOfARequest.class, "views()", "declare @BusRequestMany");
	}

	@BusClient
	interface StageReturn {

		@BusRequest("quotes.get")
		CompletionStage<Quote> get(String symbol);

	}

	@Test
	void onlyCompletableFutureIsAFuture() {
		assertInvalid(StageReturn.class, "get(String)", "only CompletableFuture and Reactor's Mono");
	}

	@BusClient
	interface ListOfMany {

		@BusRequestMany("quotes.views")
		List<Long> views();

	}

	@Test
	void unsupportedReturnTypeOfARequestMany() {
		assertInvalid(ListOfMany.class, "views()", "a @BusRequestMany returns BusReplies<T>");
	}

	@BusClient
	interface UnknownVariable {

		@BusRequest("quotes.{region}.list")
		List<Quote> list(@DestinationVariable String regoin);

	}

	@Test
	void unknownSubjectVariable() {
		assertInvalid(UnknownVariable.class, "list(String)", "unknown subject variable {regoin}");
	}

	@BusClient
	interface UnboundVariable {

		@BusRequest("quotes.{region}.list")
		List<Quote> list();

	}

	@Test
	void subjectVariableWithoutAParameter() {
		assertInvalid(UnboundVariable.class, "list()",
				"{region} of 'quotes.{region}.list' has no @DestinationVariable");
	}

	@BusClient
	interface PartialVariable {

		@BusRequest("quotes.eu-{region}.list")
		List<Quote> list(@DestinationVariable String region);

	}

	@Test
	void variableThatIsNotAWholeToken() {
		assertInvalid(PartialVariable.class, "list(String)", "a variable must be a whole token");
	}

	@BusClient
	interface WildcardSubject {

		@BusRequest("quotes.*")
		Quote get(String symbol);

	}

	@Test
	void subjectWithAWildcard() {
		assertInvalid(WildcardSubject.class, "get(String)", "wildcards '*' and '>' cannot be published to");
	}

	@BusClient
	interface TwoAnnotations {

		@BusRequest("quotes.get")
		@BusSend("quotes.get")
		void get(String symbol);

	}

	@Test
	void moreThanOneKindOfCall() {
		assertInvalid(TwoAnnotations.class, "get(String)",
				"more than one of @BusRequest, @BusSend and @BusRequestMany");
	}

	@BusClient
	interface BadTimeout {

		@BusRequest(value = "quotes.get", timeout = "soon")
		Quote get(String symbol);

	}

	@Test
	void timeoutThatIsNotADuration() {
		assertInvalid(BadTimeout.class, "get(String)", "timeout 'soon' is not a duration");
	}

	@BusClient(timeout = "-1s")
	interface NegativeClientTimeout {

		@BusRequest("quotes.get")
		Quote get(String symbol);

	}

	@Test
	void timeoutOfTheInterfaceThatIsNotPositive() {
		assertThatIllegalStateException().isThrownBy(() -> factory.createClient(NegativeClientTimeout.class))
			.withMessage("Invalid @BusClient " + NegativeClientTimeout.class.getName()
					+ ": timeout must be positive, not '-1s'");
	}

	@BusClient
	interface ManyWithHeaders {

		@BusRequestMany("quotes.views")
		BusReplies<Long> views(@Header("X-Tenant") String tenant);

	}

	@Test
	void requestManyWithHeaders() {
		assertInvalid(ManyWithHeaders.class, "views(String)", "@BusRequestMany sends no headers of its own");
	}

	@BusClient
	interface ManyWithBadCount {

		@BusRequestMany(value = "quotes.views", maxReplies = "0")
		BusReplies<Long> views();

	}

	@Test
	void requestManyWithACountBelowOne() {
		assertInvalid(ManyWithBadCount.class, "views()", "maxReplies must be at least 1, not 0");
	}

	@BusClient
	interface SendWithATimeout {

		@BusSend("quotes.viewed")
		void viewed(String symbol, Duration timeout);

	}

	@Test
	void timeoutOfASend() {
		assertInvalid(SendWithATimeout.class, "viewed(String, Duration)", "@BusSend does not wait for anything");
	}

	@BusClient
	interface AnnotatedDefault {

		@BusRequest("quotes.get")
		default Quote get(String symbol) {
			return new Quote(symbol, 0);
		}

	}

	@Test
	void defaultMethodThatIsAlsoABusCall() {
		assertInvalid(AnnotatedDefault.class, "get(String)", "a default method runs as written");
	}

	@BusClient
	interface MessageParameter {

		@BusRequest("quotes.get")
		Quote get(Message<String> request);

	}

	@Test
	void messageAsAParameter() {
		assertInvalid(MessageParameter.class, "get(Message)", "is not a payload");
	}

	@BusClient
	interface HeadersNotAMap {

		@BusRequest("quotes.get")
		Quote get(@Payload String symbol, @Headers String headers);

	}

	@Test
	void headersThatAreNotAMap() {
		assertInvalid(HeadersNotAMap.class, "get(String, String)", "must be a Map of header names to values");
	}

	@BusClient
	interface TwoTimeouts {

		@BusRequest("quotes.get")
		Quote get(String symbol, Duration timeout, Duration other);

	}

	@Test
	void twoTimeouts() {
		assertInvalid(TwoTimeouts.class, "get(String, Duration, Duration)", "more than one Duration parameter");
	}

	@BusClient
	interface UnresolvedPlaceholder {

		@BusRequest("${quotes.subject}")
		Quote get(String symbol);

	}

	@Test
	void placeholderWithoutAResolver() {
		assertInvalid(UnresolvedPlaceholder.class, "get(String)",
				"'${quotes.subject}' has a placeholder, but nothing resolves placeholders here");
	}

	interface NotAnnotated {

		@BusRequest("quotes.get")
		Quote get(String symbol);

	}

	@Test
	void interfaceWithoutBusClient() {
		assertThatIllegalArgumentException().isThrownBy(() -> factory.createClient(NotAnnotated.class))
			.withMessage(NotAnnotated.class.getName() + " is not annotated @BusClient");
	}

	@Test
	void classInsteadOfAnInterface() {
		assertThatIllegalArgumentException().isThrownBy(() -> factory.createClient(Quote.class))
			.withMessageContaining("is not an interface");
	}

	@BusClient
	interface Valid {

		@BusRequest("quotes.get")
		Quote get(String symbol, @Header(name = "X-Request-Id", required = false) String id, Duration timeout);

		@BusRequestMany(value = "quotes.views", maxReplies = "3", stall = "50ms", sentinel = true)
		BusReplies<Long> views(Map<String, String> filter);

	}

	@Test
	void aValidDeclarationPasses() {
		org.assertj.core.api.Assertions.assertThat(factory.createClient(Valid.class)).isNotNull();
	}

}
