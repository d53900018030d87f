package dev.natsbus.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.concurrent.TimeoutException;

import dev.natsbus.template.BusTemplate;
import dev.natsbus.benchmarks.Fixtures.Bus;
import dev.natsbus.benchmarks.Fixtures.Raw;
import io.nats.client.Connection;
import io.nats.client.Message;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rows of each scenario: what raw jnats does, and what nats-bus does for the same
 * job.
 */
final class Scenarios {

	static final int[] SYNC_THREADS = { 1, 8, 64 };

	static final int ASYNC_WINDOW = 256;

	static final int[] POOL_SIZES = { 1, 2, 4, 8 };

	static final int POOL_WINDOW = 1024;

	static final int POOL_THREADS = 64;

	static final int[] CONCURRENCY = { 1, 4, 16, 64 };

	static final long HANDLER_MILLIS = 10;

	/**
	 * How long the 10 ms handlers really take (Thread.sleep overshoots on a busy
	 * machine): raw, bus.
	 */
	static final java.util.concurrent.atomic.LongAdder[] handlerNanos = { new java.util.concurrent.atomic.LongAdder(),
			new java.util.concurrent.atomic.LongAdder() };

	static final java.util.concurrent.atomic.LongAdder[] handlerCalls = { new java.util.concurrent.atomic.LongAdder(),
			new java.util.concurrent.atomic.LongAdder() };

	static void sleepInHandler(int side) throws InterruptedException {
		long start = System.nanoTime();
		Thread.sleep(HANDLER_MILLIS);
		handlerNanos[side].add(System.nanoTime() - start);
		handlerCalls[side].increment();
	}

	static void resetHandlerClock() {
		for (int i = 0; i < 2; i++) {
			handlerNanos[i].reset();
			handlerCalls[i].reset();
		}
	}

	/** Mean real handler time in ms since the last reset, NaN if none ran. */
	static double handlerMillis(int side) {
		long calls = handlerCalls[side].sum();
		return (calls > 0) ? handlerNanos[side].sum() / 1e6 / calls : Double.NaN;
	}

	static final String[] TITLES = { "", "Sync request/reply, 128-byte byte[]",
			"Sync request/reply, JSON POJO (Jackson 3) both ways", "Async request/reply, 256 in flight",
			"Connection pool at T=64 (raw: one connection)", "Listener concurrency, handler blocks 10 ms",
			"Fire-and-forget send vs publish", "Sync request/reply without and with one interceptor on each side",
			"Payload size, sync T=8: byte[] and JSON POJO (raw: hand-written Jackson)",
			"Listener count, 32 callers round-robin over the subjects (raw: one dispatcher)",
			"Request-many: gather every responder's reply, T=8",
			"Callers on virtual threads (Java 21+), blocking request/reply",
			"nats-bus vs HTTP (raw column: Spring MVC on Tomcat, RestClient / HttpClient with keep-alive)" };

	/** The {@code param} suffix of the rows of scenario 7 with interceptors. */
	static final String INTERCEPTED = "-intercepted";

	/** Opens one side of a row against the server. */
	@FunctionalInterface
	interface Opener {

		Load open(String url, String subject, Duration timeout);

	}

	/** Targets of issue 6; null where a row has none of that kind. */
	record Target(String text, Double minRatio, Double maxP99Ratio, Double minEfficiency) {

		static final Target NONE = new Target("-", null, null, null);

	}

	record RowSpec(int scenario, String label, String param, Opener raw, Opener bus, Target target,
			Integer concurrency) {

		String key() {
			return "s" + this.scenario + "-" + this.param.replaceAll("[^A-Za-z0-9]+", "-");
		}

	}

	private Scenarios() {
	}

	static List<RowSpec> rows(Settings settings) {
		List<RowSpec> rows = new ArrayList<>();
		for (int scenario : settings.scenarios()) {
			switch (scenario) {
				case 1 -> {
					for (int t : SYNC_THREADS) {
						rows.add(new RowSpec(1, "T=" + t, "T=" + t, rawSyncBytes(t), busSyncBytes(t, 1, null),
								new Target("thr>=0.95x, p99<=1.1x", 0.95, 1.1, null), null));
					}
					if (settings.experiments()) {
						Target experiment = new Target("experiment", 0.95, 1.1, null);
						for (int t : SYNC_THREADS) {
							rows.add(new RowSpec(1, "T=" + t + " no deadline header", "T=" + t + "-nodeadline",
									rawSyncBytes(t),
									busSyncBytes(t, 1, template -> template.setPropagateDeadline(false)), experiment,
									null));
							rows.add(new RowSpec(1, "T=" + t + " BusTemplate->raw resp.", "T=" + t + "-template-only",
									rawSyncBytes(t), templateToRawResponder(t), experiment, null));
							rows.add(new RowSpec(1, "T=" + t + " raw req.->@BusListener", "T=" + t + "-listener-only",
									rawSyncBytes(t), rawRequesterToListener(t), experiment, null));
						}
					}
				}
				case 2 -> {
					for (int t : SYNC_THREADS) {
						rows.add(new RowSpec(2, "JSON T=" + t, "T=" + t, rawSyncJson(t), busSyncJson(t),
								new Target("thr>=0.9x", 0.9, null, null), null));
					}
				}
				case 3 -> {
					rows.add(new RowSpec(3, "async W=" + ASYNC_WINDOW, "W=" + ASYNC_WINDOW, rawAsync(ASYNC_WINDOW),
							busAsync(ASYNC_WINDOW, null), new Target("thr>=0.95x", 0.95, null, null), null));
					if (settings.experiments()) {
						Target experiment = new Target("experiment", 0.95, null, null);
						rows.add(new RowSpec(3, "W=256 no deadline header", "W=256-nodeadline", rawAsync(ASYNC_WINDOW),
								busAsync(ASYNC_WINDOW, template -> template.setPropagateDeadline(false)), experiment,
								null));
						rows.add(new RowSpec(3, "W=256 callbacks on jnats thr.", "W=256-direct", rawAsync(ASYNC_WINDOW),
								busAsync(ASYNC_WINDOW, template -> template.setCallbackExecutor(Runnable::run)),
								experiment, null));
						rows.add(new RowSpec(3, "W=256 both of the above", "W=256-nodeadline-direct",
								rawAsync(ASYNC_WINDOW), busAsync(ASYNC_WINDOW, template -> {
									template.setPropagateDeadline(false);
									template.setCallbackExecutor(Runnable::run);
								}), experiment, null));
					}
				}
				case 4 -> {
					for (int p : POOL_SIZES) {
						rows.add(new RowSpec(4, "pool=" + p + " T=" + POOL_THREADS, "pool=" + p,
								rawSyncBytes(POOL_THREADS), busSyncBytes(POOL_THREADS, p, null),
								new Target("best pool >=1.0x", null, null, null), null));
					}
					for (int p : POOL_SIZES) {
						rows.add(new RowSpec(4, "pool=" + p + " W=" + POOL_WINDOW, "pool=" + p + "-W=" + POOL_WINDOW,
								rawAsync(POOL_WINDOW), GrowthScenarios.busAsyncPool(POOL_WINDOW, p), Target.NONE,
								null));
					}
				}
				case 5 -> {
					for (int c : CONCURRENCY) {
						rows.add(new RowSpec(5, "concurrency=" + c, "C=" + c, rawSlow(c), busSlow(c),
								new Target("bus eff>=0.9", null, null, 0.9), c));
					}
				}
				case 6 -> {
					rows.add(new RowSpec(6, "send vs publish", "T=1", rawPublish(), busSend(), Target.NONE, null));
					if (settings.experiments()) {
						rows.add(new RowSpec(6, "raw publish->@BusListener", "T=1-listener-only", rawPublish(),
								rawPublishToListener(), Target.NONE, null));
					}
				}
				case 7 -> {
					for (int t : SYNC_THREADS) {
						rows.add(new RowSpec(7, "T=" + t + " no interceptor", "T=" + t, rawSyncBytes(t),
								busSyncBytes(t, 1, null), new Target("thr>=0.95x, p99<=1.1x", 0.95, 1.1, null), null));
						rows.add(new RowSpec(7, "T=" + t + " 1 interceptor/side", "T=" + t + INTERCEPTED,
								rawSyncBytes(t), busSyncIntercepted(t), Target.NONE, null));
					}
				}
				case 8 -> {
					for (int size : GrowthScenarios.PAYLOAD_SIZES) {
						String s = GrowthScenarios.size(size);
						rows.add(new RowSpec(8, "byte[] " + s, "bytes-" + s, GrowthScenarios.rawBytes(size),
								GrowthScenarios.busBytes(size), new Target("thr>=0.9x", 0.9, null, null), null));
					}
					for (int size : GrowthScenarios.PAYLOAD_SIZES) {
						String s = GrowthScenarios.size(size);
						rows.add(new RowSpec(8, "JSON " + s, "json-" + s, GrowthScenarios.rawJson(size),
								GrowthScenarios.busJson(size), new Target("thr>=0.9x", 0.9, null, null), null));
					}
				}
				case 9 -> {
					for (int n : GrowthScenarios.LISTENER_COUNTS) {
						rows.add(new RowSpec(9, n + " listeners", "L=" + n, GrowthScenarios.rawListeners(n),
								GrowthScenarios.busListeners(n), Target.NONE, null));
					}
				}
				case 10 -> {
					for (int r : GrowthScenarios.RESPONDERS) {
						rows.add(new RowSpec(10, r + " responders", "R=" + r, GrowthScenarios.rawGather(r),
								GrowthScenarios.busGather(r), Target.NONE, null));
					}
				}
				case 11 -> {
					if (!VirtualSyncLoad.available()) {
						System.err.println("Scenario 11 needs Java 21 or later; skipped on " + Runtime.version());
						break;
					}
					for (int n : GrowthScenarios.VIRTUAL_CALLERS) {
						rows.add(new RowSpec(11, n + " virtual callers", "V=" + n, GrowthScenarios.rawVirtual(n),
								GrowthScenarios.busVirtual(n), Target.NONE, null));
					}
				}
				case 12 -> {
					for (int t : GrowthScenarios.HTTP_THREADS) {
						rows.add(new RowSpec(12, "T=" + t + " (raw=HTTP)", "http-T=" + t, GrowthScenarios.httpSync(t),
								busSyncBytes(t, 1, null), Target.NONE, null));
					}
					rows.add(new RowSpec(12, "async W=" + GrowthScenarios.HTTP_WINDOW + " (raw=HTTP)",
							"http-W=" + GrowthScenarios.HTTP_WINDOW,
							GrowthScenarios.httpAsync(GrowthScenarios.HTTP_WINDOW),
							busAsync(GrowthScenarios.HTTP_WINDOW, null), Target.NONE, null));
				}
				default -> throw new IllegalArgumentException("No scenario " + scenario);
			}
		}
		return rows;
	}

	// scenario 1 and 4: byte[] echo

	static Opener rawSyncBytes(int threads) {
		return (url, subject, timeout) -> {
			Raw raw = new Raw(url, "raw", subject, 1,
					responder -> msg -> responder.publish(msg.getReplyTo(), msg.getData()));
			Connection requester = raw.requester;
			return new SyncLoad("raw", threads, id -> {
				Message reply = requester.request(subject, Payloads.request(id), timeout);
				if (reply == null) {
					throw new TimeoutException("no reply within " + timeout);
				}
				Payloads.check(reply.getData(), id);
			}, raw);
		};
	}

	static Opener busSyncBytes(int threads, int poolSize, Consumer<BusTemplate> customizer) {
		return (url, subject, timeout) -> {
			Bus bus = new Bus(url, "bus", subject, 1, poolSize, Fixtures.BytesEcho.class, new Fixtures.BytesEcho(),
					customizer, timeout);
			BusTemplate template = bus.template;
			return new SyncLoad("bus", threads,
					id -> Payloads.check(template.request(subject, Payloads.request(id), byte[].class, timeout), id),
					bus);
		};
	}

	// scenario 7: what one interceptor on each side costs

	static Opener busSyncIntercepted(int threads) {
		return (url, subject, timeout) -> {
			Bus bus = new Bus(url, "bus", subject, 1, 1, Fixtures.BytesEcho.class, new Fixtures.BytesEcho(),
					(template) -> template.setInterceptors(List.of(new Fixtures.TenantHeader())),
					(listeners) -> listeners.setInterceptors(List.of(new Fixtures.TenantCheck())), timeout);
			BusTemplate template = bus.template;
			return new SyncLoad("bus", threads,
					id -> Payloads.check(template.request(subject, Payloads.request(id), byte[].class, timeout), id),
					bus);
		};
	}

	// experiments: which half of the exchange costs what

	static Opener templateToRawResponder(int threads) {
		return (url, subject, timeout) -> {
			Raw raw = new Raw(url, "mixed", subject, 1,
					responder -> msg -> responder.publish(msg.getReplyTo(), msg.getData()));
			Bus bus = new Bus(url, "mixed", subject, 1, 1, null, null, null, timeout);
			BusTemplate template = bus.template;
			return new SyncLoad("bus", threads,
					id -> Payloads.check(template.request(subject, Payloads.request(id), byte[].class, timeout), id),
					() -> {
						bus.close();
						raw.close();
					});
		};
	}

	static Opener rawRequesterToListener(int threads) {
		return (url, subject, timeout) -> {
			Bus bus = new Bus(url, "mixed", subject, 1, 1, Fixtures.BytesEcho.class, new Fixtures.BytesEcho(), null,
					timeout);
			Connection requester = bus.clientConnection();
			return new SyncLoad("bus", threads, id -> {
				Message reply = requester.request(subject, Payloads.request(id), timeout);
				if (reply == null) {
					throw new TimeoutException("no reply within " + timeout);
				}
				Payloads.check(reply.getData(), id);
			}, bus);
		};
	}

	static Opener rawPublishToListener() {
		return (url, subject, timeout) -> {
			PublishLoad.Receiver receiver = new PublishLoad.Receiver();
			Bus bus = new Bus(url, "mixed", subject, 1, 1, Fixtures.Sink.class, new Fixtures.Sink(receiver), null,
					timeout);
			Connection publisher = bus.clientConnection();
			return new PublishLoad("bus", body -> publisher.publish(subject, body), receiver, bus);
		};
	}

	// scenario 2: JSON POJO both ways

	static Opener rawSyncJson(int threads) {
		return (url, subject, timeout) -> {
			// What a hand-written jnats service would do: one mapper, bytes in, bytes
			// out.
			JsonMapper mapper = JsonMapper.builder().build();
			Raw raw = new Raw(url, "raw", subject, 1, responder -> msg -> {
				Order order = mapper.readValue(msg.getData(), Order.class);
				responder.publish(msg.getReplyTo(), mapper.writeValueAsBytes(order));
			});
			Connection requester = raw.requester;
			return new SyncLoad("raw", threads, id -> {
				Message reply = requester.request(subject, mapper.writeValueAsBytes(Order.of(id)), timeout);
				if (reply == null) {
					throw new TimeoutException("no reply within " + timeout);
				}
				Order.check(mapper.readValue(reply.getData(), Order.class), id);
			}, raw);
		};
	}

	static Opener busSyncJson(int threads) {
		return (url, subject, timeout) -> {
			Bus bus = new Bus(url, "bus", subject, 1, 1, Fixtures.OrderEcho.class, new Fixtures.OrderEcho(), null,
					timeout);
			BusTemplate template = bus.template;
			return new SyncLoad("bus", threads,
					id -> Order.check(template.request(subject, Order.of(id), Order.class, timeout), id), bus);
		};
	}

	// scenario 3: async window

	static Opener rawAsync(int window) {
		return (url, subject, timeout) -> {
			Raw raw = new Raw(url, "raw", subject, 1,
					responder -> msg -> responder.publish(msg.getReplyTo(), msg.getData()));
			Connection requester = raw.requester;
			return new AsyncLoad("raw", window,
					id -> requester.requestWithTimeout(subject, Payloads.request(id), timeout),
					(reply, id) -> Payloads.check(((Message) reply).getData(), id), raw);
		};
	}

	static Opener busAsync(int window, Consumer<BusTemplate> customizer) {
		return (url, subject, timeout) -> {
			Bus bus = new Bus(url, "bus", subject, 1, 1, Fixtures.BytesEcho.class, new Fixtures.BytesEcho(), customizer,
					timeout);
			BusTemplate template = bus.template;
			return new AsyncLoad("bus", window,
					id -> template.requestAsync(subject, Payloads.request(id), byte[].class, timeout),
					(reply, id) -> Payloads.check((byte[]) reply, id), bus);
		};
	}

	// scenario 5: a handler that blocks 10 ms, driven by the same raw async requester on
	// both sides

	static Opener rawSlow(int concurrency) {
		return (url, subject, timeout) -> {
			// Plain jnats: one dispatcher (one thread) per unit of concurrency, all in
			// the queue group.
			Raw raw = new Raw(url, "raw", subject, concurrency, responder -> msg -> {
				sleepInHandler(0);
				responder.publish(msg.getReplyTo(), msg.getData());
			});
			return slowDriver("raw", raw.requester, subject, concurrency, timeout, raw);
		};
	}

	static Opener busSlow(int concurrency) {
		return (url, subject, timeout) -> {
			Bus bus = new Bus(url, "bus", subject, concurrency, 1, Fixtures.SlowEcho.class, new Fixtures.SlowEcho(),
					null, timeout);
			Connection requester = bus.clientConnection();
			return slowDriver("bus", requester, subject, concurrency, timeout, bus);
		};
	}

	/**
	 * At least twice the concurrency, and at least 8 waiting, so that no worker ever
	 * waits for work.
	 */
	static int slowWindow(int concurrency) {
		return Math.max(2 * concurrency, concurrency + 8);
	}

	private static Load slowDriver(String name, Connection requester, String subject, int concurrency, Duration timeout,
			AutoCloseable resources) {
		return new AsyncLoad(name, slowWindow(concurrency),
				id -> requester.requestWithTimeout(subject, Payloads.request(id), timeout),
				(reply, id) -> Payloads.check(((Message) reply).getData(), id), resources);
	}

	// scenario 6: fire-and-forget

	static Opener rawPublish() {
		return (url, subject, timeout) -> {
			PublishLoad.Receiver receiver = new PublishLoad.Receiver();
			Raw raw = new Raw(url, "raw", subject, 1, responder -> msg -> receiver.onMessage(msg.getData()));
			Connection publisher = raw.requester;
			return new PublishLoad("raw", body -> publisher.publish(subject, body), receiver, raw);
		};
	}

	static Opener busSend() {
		return (url, subject, timeout) -> {
			PublishLoad.Receiver receiver = new PublishLoad.Receiver();
			Bus bus = new Bus(url, "bus", subject, 1, 1, Fixtures.Sink.class, new Fixtures.Sink(receiver), null,
					timeout);
			BusTemplate template = bus.template;
			return new PublishLoad("bus", body -> template.send(subject, body), receiver, bus);
		};
	}

}
