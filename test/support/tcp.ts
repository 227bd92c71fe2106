/** TCP on 127.0.0.1 for the tests: a port another program holds, a port free a moment ago. */
import { once } from "node:events";
import { createServer, type Server } from "node:net";

/** A server on 127.0.0.1 holding a port; `close` frees it. */
export async function holdPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    port: portOf(server),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port of 127.0.0.1 that nothing listens on now (held a moment, then freed). */
export async function freePort(): Promise<number> {
  const held = await holdPort();
  await held.close();
  return held.port;
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === "string") {
    throw new Error("test: no port of 127.0.0.1 for the server");
  }
  return address.port;
}
