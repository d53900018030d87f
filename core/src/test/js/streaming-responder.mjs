// A nats.js responder that answers one request with <count> replies and then the
// sentinel (an empty message), as a streamed reply; prints "ready" once subscribed and
// "served" once done.
// usage: node streaming-responder.mjs <server-url> <subject> <count>
import { connect } from "@nats-io/transport-node";

const [server, subject, count] = process.argv.slice(2);
const nc = await connect({ servers: server });
const sub = nc.subscribe(subject, { max: 1 });
await nc.flush();
console.log("ready");
for await (const msg of sub) {
  const deadline = msg.headers?.get("Nats-Bus-Deadline") || "";
  for (let i = 0; i < Number(count); i++) {
    msg.respond(JSON.stringify({ index: i, deadline }));
  }
  msg.respond();
}
await nc.flush();
console.log("served");
await nc.close();
