package dev.natsbus.listener;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;

/**
 * A listener written as code rather than as an annotated method, for
 * {@link SimpleBusListenerEndpoint}: it receives the message with its raw {@code byte[]}
 * payload and its headers (including those of {@link dev.natsbus.BusHeaders}), and its
 * return value is the reply, as for a {@code @BusListener} method ({@code null} for an
 * empty reply, a {@code Message<?>} for a reply with headers, a {@code CompletionStage}
 * for a later one). What it throws becomes an error reply.
 */
@FunctionalInterface
public interface BusMessageHandler {

	@Nullable Object handle(Message<byte[]> message) throws Exception;

}
