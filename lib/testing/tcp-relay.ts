// A TCP relay in front of PostgreSQL that a test can cut: while cut, open connections are dropped
// and new ones are refused (nothing listens on the port), as when the database host goes away;
// restored, it listens on the same port again.
import net from "node:net";

export type Relay = { url: string; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> };

export async function startRelay(targetUrl: string): Promise<Relay> {
  const target = new URL(targetUrl);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    const outbound = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(inbound).add(outbound);
    inbound.pipe(outbound).pipe(inbound);
    const close = () => {
      inbound.destroy();
      outbound.destroy();
      sockets.delete(inbound);
      sockets.delete(outbound);
    };
    inbound.on("error", close).on("close", close);
    outbound.on("error", close).on("close", close);
  });
  const listen = (port: number) => new Promise<void>((r, j) => server.once("error", j).listen(port, "127.0.0.1", () => r()));
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  const via = new URL(target);
  via.hostname = "127.0.0.1";
  via.port = String(port);
  const stop = async () => {
    await new Promise<void>((r) => {
      server.close(() => r());
      for (const s of sockets) s.destroy();
    });
  };
  return {
    url: via.toString(),
    cut: stop,
    restore: () => listen(port),
    close: async () => {
      if (server.listening) await stop();
    },
  };
}
