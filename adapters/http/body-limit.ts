import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";

/**
 * Refuses a request body over `maxSize` bytes. A declared Content-Length is checked from the header alone;
 * hono's own middleware, which counts a chunked body as it arrives, runs only when there is no length.
 * Why not hono's middleware for all: it looks at `req.raw.body`, which makes the Node server build a web
 * stream and a full Request for every request, about a tenth of the CPU a card click costs, where the
 * server otherwise reads the body straight from the socket.
 */
export function limitBody(
  maxSize: number,
  onError: (c: Context) => Response | Promise<Response>,
): MiddlewareHandler {
  const counting = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD") return next();
    const length = c.req.header("content-length");
    if (length !== undefined && c.req.header("transfer-encoding") === undefined) {
      return Number.parseInt(length, 10) > maxSize ? onError(c) : next();
    }
    return counting(c, next);
  };
}
