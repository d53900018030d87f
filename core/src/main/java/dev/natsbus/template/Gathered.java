package dev.natsbus.template;

import java.time.Duration;
import java.util.List;

import dev.natsbus.BusReplies.EndedBy;
import io.nats.client.Message;

/**
 * The raw replies of one request-many, as they arrived, before conversion.
 *
 * @param replies every reply that counts (values and error replies), in arrival order
 * @param endedBy what ended the gathering
 * @param elapsed from publishing the request until the end
 */
record Gathered(List<Message> replies, EndedBy endedBy, Duration elapsed) {
}
