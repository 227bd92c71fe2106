/**
 * TCP on 127.0.0.1 for the tests: a port another program holds, a port free a moment ago, a
 * server that accepts connections and never answers.
 */
import { once } from "node:events";
import { createServer, type Server, type Socket } from "node:net";

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

/** A {@link silentServer}. */
export interface SilentServer {
  readonly port: number;
  /** How many connections it has accepted so far. */
  readonly accepted: number;
}

/**
 * A TCP server on 127.0.0.1 that accepts every connection and never answers (a hung server, a
 * proxy to nowhere); at `onCleanup`'s cleanup its connections are cut and it closes.
 */
export async function silentServer(
  onCleanup: (cleanup: () => Promise<void>) => void,
): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  onCleanup(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    port: portOf(server),
    get accepted() {
      return accepted;
    },
  };
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === "string") {
    throw new Error("test: no port of 127.0.0.1 for the server");
  }
  return address.port;
}
