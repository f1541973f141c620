import pino, { type DestinationStream, type Logger } from "pino";
import { scanTypedText } from "../../core/privacy/detect.ts";

/** Every log line passes through this: a phone number that slipped into any field leaves masked. */
export function maskingStream(target: { write(line: string): unknown }): DestinationStream {
  return { write: (line: string) => target.write(scanTypedText(line).text) };
}

export interface LoggerOptions {
  readonly level?: string;
  readonly destination?: { write(line: string): unknown };
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  return pino(
    {
      level: opts.level ?? process.env.LOG_LEVEL ?? "info",
      base: { app: "closeloop" },
      redact: {
        paths: ["*.phone", "*.*.phone", "customer.phone", "headers.authorization"],
        censor: "[masked]",
      },
    },
    maskingStream(opts.destination ?? process.stdout),
  );
}
