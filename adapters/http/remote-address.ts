import type { Context } from "hono";

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
  server?: NodeBindings;
}

/** The peer address of a request served by @hono/node-server; undefined anywhere else. */
export function remoteAddress(c: Context): string | undefined {
  const env = c.env as NodeBindings | undefined;
  const bindings = env?.server ?? env;
  return bindings?.incoming?.socket?.remoteAddress;
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  return v4.startsWith("127.") || address === "::1";
}

const LOCAL_NAMES = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

/** The hostname of a Host header or an Origin, lower-cased; undefined when it does not parse. */
function hostnameOf(value: string, withScheme: boolean): string | undefined {
  try {
    return new URL(withScheme ? value : `http://${value}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * A caller on this very machine, as the sandbox's conveniences require (acting as a demo person, the demo
 * sign-in, the playground): the peer is loopback, the request names a loopback host (not another site's
 * name that resolves here: DNS rebinding), and it is not a browser tab of another site posting across
 * (Origin elsewhere, or Sec-Fetch-Site cross-site).
 */
export function isLocalCaller(c: Context): boolean {
  if (!isLoopback(remoteAddress(c))) return false;
  const host = c.req.header("host");
  if (host !== undefined && !LOCAL_NAMES.test(hostnameOf(host, false) ?? "")) return false;
  const origin = c.req.header("origin");
  if (origin !== undefined && !LOCAL_NAMES.test(hostnameOf(origin, true) ?? "")) return false;
  return c.req.header("sec-fetch-site")?.toLowerCase() !== "cross-site";
}
