// nats.js requestMany against the bus: prints what it gathered as one JSON line.
// usage: node request-many.mjs <server-url> <subject> <strategy> <maxWait ms> [maxMessages]
import { connect } from "@nats-io/transport-node";

const [server, subject, strategy, maxWait, maxMessages] = process.argv.slice(2);
const nc = await connect({ servers: server });
const options = { strategy, maxWait: Number(maxWait) };
if (maxMessages) {
  options.maxMessages = Number(maxMessages);
}
const replies = [];
const started = Date.now();
for await (const msg of await nc.requestMany(subject, "census", options)) {
  replies.push({
    data: msg.string(),
    error: msg.headers?.get("Nats-Service-Error") || null,
    code: msg.headers?.get("Nats-Service-Error-Code") || null,
  });
}
console.log(JSON.stringify({ replies, elapsed: Date.now() - started }));
await nc.close();
