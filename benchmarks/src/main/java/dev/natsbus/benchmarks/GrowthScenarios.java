package dev.natsbus.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import dev.natsbus.BusReplies;
import dev.natsbus.RequestMany;
import dev.natsbus.benchmarks.Fixtures.Bus;
import dev.natsbus.benchmarks.Fixtures.Raw;
import dev.natsbus.benchmarks.Measurement.MismatchException;
import dev.natsbus.benchmarks.Scenarios.Opener;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.conversion.JsonPayloadConverter;
import dev.natsbus.listener.BusListenerContainer;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.listener.MethodBusListenerEndpoint;
import dev.natsbus.template.BusTemplate;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.NUID;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.client.RestClient;

/**
 * The rows that show how cost grows with the work: payload size, number of listeners,
 * pool size, responders gathered, virtual-thread callers, and the same echo over HTTP.
 */
final class GrowthScenarios {

	static final int[] PAYLOAD_SIZES = { 128, 1024, 16 * 1024, 256 * 1024, 1_000_000 };

	static final int PAYLOAD_THREADS = 8;

	static final int[] LISTENER_COUNTS = { 1, 10, 100, 1000 };

	static final int LISTENER_CALLERS = 32;

	static final int[] RESPONDERS = { 1, 5, 25 };

	static final int GATHER_THREADS = 8;

	static final int[] VIRTUAL_CALLERS = { 1, 100, 1000, 10_000 };

	static final int[] HTTP_THREADS = { 1, 8, 64 };

	static final int HTTP_WINDOW = 256;

	private GrowthScenarios() {
	}

	static String size(int bytes) {
		return (bytes >= 1_000_000) ? (bytes / 1_000_000) + "MB"
				: (bytes >= 1024) ? (bytes / 1024) + "KB" : bytes + "B";
	}

	// scenario 8: payload size

	static Opener rawBytes(int size) {
		return (url, subject, timeout) -> {
			Raw raw = new Raw(url, "raw", subject, 1,
					responder -> msg -> responder.publish(msg.getReplyTo(), msg.getData()));
			Connection requester = raw.requester;
			return new SyncLoad("raw", PAYLOAD_THREADS, id -> {
				Message reply = requester.request(subject, Payloads.request(id, size), timeout);
				if (reply == null) {
					throw new TimeoutException("no reply within " + timeout);
				}
				Payloads.check(reply.getData(), id, size);
			}, raw);
		};
	}

	static Opener busBytes(int size) {
		return (url, subject, timeout) -> {
			Bus bus = new Bus(url, "bus", subject, 1, 1, Fixtures.BytesEcho.class, new Fixtures.BytesEcho(), null,
					timeout);
			BusTemplate template = bus.template;
			return new SyncLoad(
					"bus", PAYLOAD_THREADS, id -> Payloads
						.check(template.request(subject, Payloads.request(id, size), byte[].class, timeout), id, size),
					bus);
		};
	}

	static Opener rawJson(int size) {
		return (url, subject, timeout) -> {
			JsonMapper mapper = JsonMapper.builder().build();
			Raw raw = new Raw(url, "raw", subject, 1, responder -> msg -> {
				Blob blob = mapper.readValue(msg.getData(), Blob.class);
				responder.publish(msg.getReplyTo(), mapper.writeValueAsBytes(blob));
			});
			Connection requester = raw.requester;
			return new SyncLoad("raw", PAYLOAD_THREADS, id -> {
				Message reply = requester.request(subject, mapper.writeValueAsBytes(Blob.of(id, size)), timeout);
				if (reply == null) {
					throw new TimeoutException("no reply within " + timeout);
				}
				Blob.check(mapper.readValue(reply.getData(), Blob.class), id, size);
			}, raw);
		};
	}

	static Opener busJson(int size) {
		return (url, subject, timeout) -> {
			Bus bus = new Bus(url, "bus", subject, 1, 1, BlobEcho.class, new BlobEcho(), null, timeout);
			BusTemplate template = bus.template;
			return new SyncLoad("bus", PAYLOAD_THREADS,
					id -> Blob.check(template.request(subject, Blob.of(id, size), Blob.class, timeout), id, size), bus);
		};
	}

	// scenario 9: listener count, callers spread round-robin over the subjects

	static Opener rawListeners(int count) {
		return (url, subject, timeout) -> {
			String[] subjects = subjects(subject, count);
			Startup startup = Startup.begin();
			// A hand-written service: one dispatcher carrying every subscription.
			Connection responder = Fixtures.connect(url, "raw-responder");
			Dispatcher dispatcher = responder.createDispatcher();
			for (String each : subjects) {
				dispatcher.subscribe(each, "q", (msg) -> responder.publish(msg.getReplyTo(), msg.getData()));
			}
			Fixtures.flush(responder);
			String note = startup.end("raw, " + count + " subscriptions on one dispatcher");
			Connection requester = Fixtures.connect(url, "raw-requester");
			return new NotedSyncLoad(new SyncLoad("raw", LISTENER_CALLERS, id -> {
				Message reply = requester.request(subjects[spread(id, count)], Payloads.request(id), timeout);
				if (reply == null) {
					throw new TimeoutException("no reply within " + timeout);
				}
				Payloads.check(reply.getData(), id);
			}, () -> {
				requester.close();
				responder.close();
			}), note);
		};
	}

	static Opener busListeners(int count) {
		return (url, subject, timeout) -> {
			String[] subjects = subjects(subject, count);
			Startup startup = Startup.begin();
			JsonPayloadConverter converter = new JsonPayloadConverter();
			NatsConnectionPool serverPool = NatsConnectionPool.connect(List.of(Fixtures.options(url, "bus-server")));
			BusListenerRegistry registry = new BusListenerRegistry(serverPool, converter);
			registry.setDrainTimeout(Duration.ofSeconds(5));
			Fixtures.BytesEcho bean = new Fixtures.BytesEcho();
			Method echo = echoMethod();
			List<BusListenerContainer> containers = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				// What the annotation post-processor registers for each @BusListener
				// method.
				containers.add(registry.registerListener(
						new MethodBusListenerEndpoint("echo-" + i, "listener", bean, echo, subjects[i], null, null)));
			}
			registry.start();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			while (!containers.stream().allMatch(BusListenerContainer::isSubscribed)) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("listeners did not subscribe within 60 s");
				}
				Measurement.sleep(Duration.ofMillis(5));
			}
			serverPool.flush(Duration.ofSeconds(10));
			String note = startup.end("bus, " + count + " listeners");
			NatsConnectionPool clientPool = NatsConnectionPool.connect(List.of(Fixtures.options(url, "bus-client")));
			BusTemplate template = new BusTemplate(clientPool, converter);
			template.start();
			return new NotedSyncLoad(new SyncLoad("bus", LISTENER_CALLERS, id -> Payloads
				.check(template.request(subjects[spread(id, count)], Payloads.request(id), byte[].class, timeout), id),
					() -> {
						registry.stop();
						template.stop();
						template.destroy();
						clientPool.close();
						serverPool.close();
					}), note);
		};
	}

	private static Method echoMethod() {
		try {
			return Fixtures.BytesEcho.class.getMethod("echo", byte[].class);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String[] subjects(String subject, int count) {
		String[] subjects = new String[count];
		for (int i = 0; i < count; i++) {
			subjects[i] = subject + "." + i;
		}
		return subjects;
	}

	/** Caller i's n-th request goes to subject (i + n) mod count: round-robin. */
	private static int spread(long id, int count) {
		return (int) ((((id >>> 32) & 0xff) + (id & 0xffffffffL)) % count);
	}

	/** A sync load that also reports what its set-up cost. */
	static final class NotedSyncLoad implements Load {

		private final Load load;

		private final String note;

		NotedSyncLoad(Load load, String note) {
			this.load = load;
			this.note = note;
		}

		@Override
		public Measurement.Segment run(Duration settle, Duration measure) {
			return this.load.run(settle, measure);
		}

		@Override
		public String note() {
			return this.note;
		}

		@Override
		public void close() {
			this.load.close();
		}

	}

	// scenario 10: pool size, async window

	static Opener busAsyncPool(int window, int poolSize) {
		return (url, subject, timeout) -> {
			Bus bus = new Bus(url, "bus", subject, 1, poolSize, Fixtures.BytesEcho.class, new Fixtures.BytesEcho(),
					null, timeout);
			BusTemplate template = bus.template;
			return new AsyncLoad("bus", window,
					id -> template.requestAsync(subject, Payloads.request(id), byte[].class, timeout),
					(reply, id) -> Payloads.check((byte[]) reply, id), bus);
		};
	}

	// scenario 11: request-many, gathering every responder's reply

	static Opener rawGather(int responders) {
		return (url, subject, timeout) -> {
			Connection responder = Fixtures.connect(url, "raw-responder");
			Dispatcher dispatcher = responder.createDispatcher();
			for (int i = 0; i < responders; i++) {
				dispatcher.subscribe(subject, (msg) -> responder.publish(msg.getReplyTo(), msg.getData()));
			}
			Fixtures.flush(responder);
			Connection requester = Fixtures.connect(url, "raw-requester");
			// Hand-written scatter-gather: one wildcard inbox, replies routed by token.
			String prefix = "_INBOX." + NUID.nextGlobal() + ".";
			Map<String, Gathering> open = new ConcurrentHashMap<>();
			Dispatcher inbox = requester.createDispatcher((msg) -> {
				Gathering gathering = open.get(msg.getSubject());
				if (gathering != null) {
					gathering.reply(msg.getData());
				}
			});
			inbox.subscribe(prefix + "*");
			Fixtures.flush(requester);
			return new SyncLoad("raw", GATHER_THREADS, id -> {
				String replyTo = prefix + Long.toHexString(id);
				Gathering gathering = new Gathering(id, responders);
				open.put(replyTo, gathering);
				try {
					requester.publish(subject, replyTo, Payloads.request(id));
					gathering.await(timeout);
				}
				finally {
					open.remove(replyTo);
				}
			}, () -> {
				requester.close();
				responder.close();
			});
		};
	}

	static Opener busGather(int responders) {
		return (url, subject, timeout) -> {
			JsonPayloadConverter converter = new JsonPayloadConverter();
			NatsConnectionPool serverPool = NatsConnectionPool.connect(List.of(Fixtures.options(url, "bus-server")));
			BusListenerRegistry registry = new BusListenerRegistry(serverPool, converter);
			Fixtures.BytesEcho bean = new Fixtures.BytesEcho();
			for (int i = 0; i < responders; i++) {
				registry.registerListener(new MethodBusListenerEndpoint("responder-" + i, "listener", bean,
						echoMethod(), subject, null, null, true, null));
			}
			registry.start();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (!registry.getListenerContainers().stream().allMatch(BusListenerContainer::isSubscribed)
					&& System.nanoTime() < deadline) {
				Measurement.sleep(Duration.ofMillis(5));
			}
			serverPool.flush(Duration.ofSeconds(5));
			NatsConnectionPool clientPool = NatsConnectionPool.connect(List.of(Fixtures.options(url, "bus-client")));
			BusTemplate template = new BusTemplate(clientPool, converter);
			template.start();
			RequestMany options = RequestMany.maxReplies(responders).withMaxWait(timeout);
			return new SyncLoad("bus", GATHER_THREADS, id -> {
				BusReplies<byte[]> replies = template.requestMany(subject, Payloads.request(id), byte[].class, options);
				if (replies.size() != responders) {
					throw new MismatchException(
							replies.size() + " of " + responders + " replies, ended by " + replies.endedBy());
				}
				for (byte[] reply : replies.values()) {
					Payloads.check(reply, id);
				}
			}, () -> {
				registry.stop();
				template.stop();
				template.destroy();
				clientPool.close();
				serverPool.close();
			});
		};
	}

	/** The replies of one raw scatter-gather request. */
	private static final class Gathering {

		private final long id;

		private final CountDownLatch remaining;

		private final AtomicReference<MismatchException> wrong = new AtomicReference<>();

		Gathering(long id, int responders) {
			this.id = id;
			this.remaining = new CountDownLatch(responders);
		}

		void reply(byte[] data) {
			try {
				Payloads.check(data, this.id);
			}
			catch (MismatchException ex) {
				this.wrong.compareAndSet(null, ex);
			}
			this.remaining.countDown();
		}

		void await(Duration timeout) throws Exception {
			if (!this.remaining.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new TimeoutException(this.remaining.getCount() + " replies missing after " + timeout);
			}
			if (this.wrong.get() != null) {
				throw this.wrong.get();
			}
		}

	}

	// scenario 12: callers on virtual threads

	static Opener rawVirtual(int callers) {
		return (url, subject, timeout) -> {
			Raw raw = new Raw(url, "raw", subject, 1,
					responder -> msg -> responder.publish(msg.getReplyTo(), msg.getData()));
			Connection requester = raw.requester;
			return new VirtualSyncLoad("raw", callers, id -> {
				Message reply = requester.request(subject, Payloads.request(id), timeout);
				if (reply == null) {
					throw new TimeoutException("no reply within " + timeout);
				}
				Payloads.check(reply.getData(), id);
			}, raw);
		};
	}

	static Opener busVirtual(int callers) {
		return (url, subject, timeout) -> {
			Bus bus = new Bus(url, "bus", subject, 1, 1, Fixtures.BytesEcho.class, new Fixtures.BytesEcho(), null,
					timeout);
			BusTemplate template = bus.template;
			return new VirtualSyncLoad("bus", callers,
					id -> Payloads.check(template.request(subject, Payloads.request(id), byte[].class, timeout), id),
					bus);
		};
	}

	// scenario 13: the same echo over HTTP (the "raw" column of these rows)

	static Opener httpSync(int threads) {
		return (url, subject, timeout) -> {
			HttpEcho server = HttpEcho.start();
			RestClient client = server.restClient(timeout);
			return new SyncLoad("http", threads, id -> {
				byte[] reply = client.post().uri("/echo").body(Payloads.request(id)).retrieve().body(byte[].class);
				Payloads.check(reply, id);
			}, server);
		};
	}

	static Opener httpAsync(int window) {
		return (url, subject, timeout) -> {
			HttpEcho server = HttpEcho.start();
			HttpClient client = server.httpClient();
			URI echo = server.uri("/echo");
			return new AsyncLoad("http", window,
					id -> client
						.sendAsync(HttpRequest.newBuilder(echo)
							.timeout(timeout)
							.header("Content-Type", "application/octet-stream")
							.POST(HttpRequest.BodyPublishers.ofByteArray(Payloads.request(id)))
							.build(), HttpResponse.BodyHandlers.ofByteArray())
						.thenApply(HttpResponse::body),
					(reply, id) -> Payloads.check((byte[]) reply, id), server);
		};
	}

	/** The listener bean of the JSON payload-size rows. */
	public static class BlobEcho {

		@dev.natsbus.BusListener(subject = "${bench.subject}", concurrency = "${bench.concurrency}")
		public Blob echo(Blob blob) {
			return blob;
		}

	}

}
